using Microsoft.AspNetCore.Http.HttpResults;
using VirtualBranch.Host.Problems;

namespace VirtualBranch.Host.Customers;

/// <summary>What the customer is told when a typed code does not pass, at the field they typed it in.</summary>
public static class CodeProblems
{
    public static ProblemHttpResult? For(CodeCheck result, int triesLeft, string field) => result switch
    {
        CodeCheck.Accepted => null,
        CodeCheck.Wrong => ApiProblems.Invalid("The code is not right.", [new(field, $"The code is wrong; {triesLeft} {(triesLeft == 1 ? "try" : "tries")} left.")]),
        CodeCheck.Expired => ApiProblems.Invalid("The code has expired.", [new(field, "The code has expired; ask for a new one.")]),
        CodeCheck.TooManyTries => ApiProblems.Problem(StatusCodes.Status429TooManyRequests, "Too many wrong codes",
            "This code no longer works after too many wrong tries; ask for a new one.", [new(field, "Ask for a new code.")]),
        _ => ApiProblems.Invalid("No code is waiting.", [new(field, "No code was sent for this, or it was already used; ask for a new one.")]),
    };

    public static ProblemHttpResult NoMoreCodes() => ApiProblems.Problem(StatusCodes.Status429TooManyRequests, "No more codes",
        "Enough codes were sent for this. Please ask your teller for a new link.", []);
}
