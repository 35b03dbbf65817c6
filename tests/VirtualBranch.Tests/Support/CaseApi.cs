using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Shouldly;

namespace VirtualBranch.Tests.Support;

/// <summary>Small helpers over the case API, so tests read as the steps a teller takes.</summary>
public static class CaseApi
{
    public static async Task<JsonElement> OpenCase(this HttpClient client, string definitionId, object data)
    {
        var response = await client.PostAsJsonAsync("/api/cases", new { definitionId, data });
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public static Task<HttpResponseMessage> Resume(this HttpClient client, Guid caseId, string bookmarkId, object input, long? ifMatch = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/cases/{caseId}/bookmarks/{bookmarkId}") { Content = JsonContent.Create(new { input }) };
        if (ifMatch is { } version)
        {
            request.Headers.IfMatch.Add(new System.Net.Http.Headers.EntityTagHeaderValue($"\"{version}\""));
        }
        return client.SendAsync(request);
    }

    public static async Task<JsonElement> ResumeOk(this HttpClient client, Guid caseId, string bookmarkId, object input)
    {
        var response = await client.Resume(caseId, bookmarkId, input);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>Publishes a definition as an analyst does; the answer as it comes (409 when the version exists).</summary>
    public static Task<HttpResponseMessage> Publish(this HttpClient analyst, string definition) =>
        analyst.PostAsync("/api/definitions", new StringContent(definition, System.Text.Encoding.UTF8, "application/json"));

    public static async Task<JsonElement> GetCase(this HttpClient client, Guid caseId) =>
        await client.GetFromJsonAsync<JsonElement>($"/api/cases/{caseId}");

    /// <summary>Polls until the case leaves 'running' (a deadline fired by Hangfire); bounded, fails with the last state.</summary>
    public static Task<JsonElement> WaitUntilClosed(this HttpClient client, Guid caseId, TimeSpan limit) =>
        Eventually.Until(() => client.GetCase(caseId), body => body.GetProperty("status").GetString() is not ("running" or "faulted"), limit,
            body => $"Case {caseId} did not close within {limit}: {body}");

    public static Guid Id(this JsonElement body) => body.GetProperty("id").GetGuid();

    public static string Bookmark(this JsonElement body, string stepId) =>
        body.GetProperty("waiting").EnumerateArray().Single(w => w.GetProperty("stepId").GetString() == stepId).GetProperty("bookmarkId").GetString()!;

    public static async Task<JsonElement> Problem(this HttpResponseMessage response, HttpStatusCode status)
    {
        response.StatusCode.ShouldBe(status, await response.Content.ReadAsStringAsync());
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}
