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

    public static ProblemHttpResult Problem(int status, string title, string detail, IEnumerable<FieldError> errors)
    {
        var list = errors.Select(e => new { path = e.Path, message = e.Message }).ToList();
        return TypedResults.Problem(
            title: title,
            detail: detail,
            statusCode: status,
            type: $"https://httpstatuses.io/{status}",
            extensions: list.Count > 0 ? new Dictionary<string, object?> { ["errors"] = list } : null);
    }
}
