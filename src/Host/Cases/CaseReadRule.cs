using System.Linq.Expressions;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using VirtualBranch.Engine.Activities;
using VirtualBranch.Engine.Persistence;
using VirtualBranch.Engine.Runtime;
using VirtualBranch.Host.Media;
using VirtualBranch.Host.Problems;

namespace VirtualBranch.Host.Cases;

/// <summary>What an endpoint shows of a case, from the narrowest audience to the widest.</summary>
public enum CaseReadScope
{
    /// <summary>The stream as evidence (events, state at a version, timeline, verify, export, access log, recordings): regulators and supervisors.</summary>
    Oversight,

    /// <summary>Files a teller checks (documents such as the ID card, the signed contract): also the teller who works the case.</summary>
    CaseFiles,

    /// <summary>The case as the workbench shows it: also a teller who can take it from the queue.</summary>
    Workbench,

    /// <summary>The customer's view of the case: also the customer whose link names it.</summary>
    CustomerView,
}

/// <summary>
/// The one rule for reading case data. Regulators and supervisors read any case; a teller reads a case they work
/// (assigned to them, opened by them, or acted on it) and, for the workbench, a case they can take from the queue
/// (unassigned and waiting for a teller), in the words of <see cref="CaseAccessRule"/>; analysts and other systems read none; a customer reads only their own
/// case's customer view. The queue applies the same rule as a query (<see cref="InQueueOf"/>).
/// </summary>
public static class CaseReadRule
{
    /// <summary>Why <paramref name="user"/> may not read this (403 problem details), or null when they may.</summary>
    /// <remarks>With no case (a read across cases, or a case that does not exist) only the role is judged; the endpoint answers 404 itself.</remarks>
    public static ProblemHttpResult? Refusal(ClaimsPrincipal user, CaseState? state, CaseReadScope scope)
    {
        var role = RequestActor.Of(user).Role;
        if (role is Roles.Regulator or Roles.Supervisor)
        {
            return null;
        }
        if (role == Roles.Customer)
        {
            return scope == CaseReadScope.CustomerView && (state is null || CaseAccess.IsCustomerOf(user, state.Id))
                ? null
                : Refused("A customer link opens only that case's customer page.");
        }
        if (role != Roles.Teller)
        {
            return Refused(role == Roles.Analyst
                ? "Analysts see definitions, not case data."
                : $"The role '{role}' reads no case data.");
        }
        if (scope == CaseReadScope.Oversight)
        {
            return Refused("The case's events, state, timeline, verification, export, access log and recordings are for regulators and supervisors.");
        }
        if (state is null || CaseAccessRule.Works(state, RequestActor.Of(user).Id) || (scope != CaseReadScope.CaseFiles && CaseAccessRule.CanTake(state)))
        {
            return null;
        }
        return Refused(scope == CaseReadScope.CaseFiles
            ? $"Case {state.Number}'s documents and files are for the teller who works it; it is not assigned to you, you did not open it and have not acted on it."
            : $"Tellers read the cases they work or can take: case {state.Number} is not assigned to you, you did not open it or act on it, and it is not waiting unassigned for a teller.");
    }

    /// <summary>The same rule over queue entries, for a query: what a teller works or can take.</summary>
    public static Expression<Func<CaseSummary, bool>> InQueueOf(string teller) =>
        c => c.Assignee == teller || c.WorkedBy.Contains(teller) || (c.Assignee == null && c.ExpectedRoles.Contains(Roles.Teller));

    private static ProblemHttpResult Refused(string why) => ApiProblems.Forbidden("Not allowed to read this case", why);
}
