using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;

namespace VirtualBranch.Host.Problems;

/// <summary>Every error leaves as problem details: unknown routes, bad JSON bodies and bugs alike.</summary>
public static class ProblemsSetup
{
    public static void AddProblems(this WebApplicationBuilder builder)
    {
        builder.Services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            context.ProblemDetails.Instance ??= context.HttpContext.Request.Path;
            context.ProblemDetails.Extensions["traceId"] = context.HttpContext.TraceIdentifier;
        });
        // Binding failures (malformed JSON, a text where a number belongs) throw, so the handler below can say where and why.
        builder.Services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
    }

    public static void UseProblems(this WebApplication app)
    {
        app.UseExceptionHandler(handler => handler.Run(async context =>
        {
            var error = context.Features.Get<IExceptionHandlerFeature>()?.Error;
            var (status, title, detail) = error switch
            {
                BadHttpRequestException { InnerException: JsonException json } =>
                    (400, "The body is not valid JSON", $"{json.Message.Split(" Path:")[0]} at {json.Path ?? "$"}"),
                BadHttpRequestException bad => (bad.StatusCode, "The request is malformed", bad.Message),
                JsonException json => (400, "The body is not valid JSON", json.Message),
                _ => (500, "Something went wrong", "The server failed to handle the request; nothing was changed. The trace id identifies it in the log."),
            };
            context.Response.StatusCode = status;
            await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
            {
                HttpContext = context,
                ProblemDetails = { Status = status, Title = title, Detail = detail, Type = $"https://httpstatuses.io/{status}" },
            });
        }));
        app.UseStatusCodePages();
    }
}
