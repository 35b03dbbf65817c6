using Microsoft.AspNetCore.Http.HttpResults;
using VirtualBranch.Engine.Runtime;

namespace VirtualBranch.Host.Problems;

/// <summary>RFC 7807 problem details: what (title), why (detail), where (errors, each a JSON pointer into the request).</summary>
public static class ApiProblems
{
    public static ProblemHttpResult Invalid(string detail, IEnumerable<FieldError> errors) =>
        Problem(StatusCodes.Status400BadRequest, "The request is invalid", detail, errors);

    public static ProblemHttpResult NotFound(string title, string detail) => Problem(StatusCodes.Status404NotFound, title, detail, []);

    public static ProblemHttpResult Conflict(string title, string detail) => Problem(StatusCodes.Status409Conflict, title, detail, []);

    public static ProblemHttpResult Forbidden(string title, string detail) => Problem(StatusCodes.Status403Forbidden, title, detail, []);

    public static ProblemHttpResult From(Decision.Rejected rejected) => Problem(rejected.Kind switch
    {
        RejectionKind.Invalid => StatusCodes.Status400BadRequest,
        RejectionKind.Forbidden => StatusCodes.Status403Forbidden,
        RejectionKind.NotFound => StatusCodes.Status404NotFound,
        _ => StatusCodes.Status409Conflict,
    }, rejected.Title, rejected.Detail, rejected.Errors);

    /// <param name="extensions">Members beside <c>errors</c> that a client reads by name (e.g. <c>lockedUntil</c>).</param>
    public static ProblemHttpResult Problem(int status, string title, string detail, IEnumerable<FieldError> errors, IReadOnlyDictionary<string, object?>? extensions = null)
    {
        var list = errors.Select(e => new { path = e.Path, message = e.Message }).ToList();
        var members = new Dictionary<string, object?>(extensions ?? new Dictionary<string, object?>());
        if (list.Count > 0)
        {
            members["errors"] = list;
        }
        return TypedResults.Problem(
            title: title,
            detail: detail,
            statusCode: status,
            type: $"https://httpstatuses.io/{status}",
            extensions: members.Count > 0 ? members : null);
    }
}
