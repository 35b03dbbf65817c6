namespace VirtualBranch.Tests.Support;

/// <summary>A stand-in server behind an <see cref="HttpClient"/>: every request gets the answer the test chose, with no network.</summary>
public sealed class AnsweringHandler(Func<HttpRequestMessage, HttpResponseMessage> answer) : HttpMessageHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        Task.FromResult(answer(request));
}
