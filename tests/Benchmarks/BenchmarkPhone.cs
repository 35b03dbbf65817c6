using System.Collections.Concurrent;
using VirtualBranch.Host.Customers;

namespace VirtualBranch.Benchmarks;

/// <summary>
/// The customers' phones for the HTTP run: a messenger plug-in that keeps the latest link and code per case in memory,
/// so the driver reads them as a phone would without scanning the outbox file for each case.
/// </summary>
public sealed class BenchmarkPhone : ICustomerMessenger
{
    private readonly ConcurrentDictionary<(Guid CaseId, string Kind), CustomerMessage> _latest = new();

    public string Channel => "benchmark-phone";

    public Task<MessageReceipt> SendAsync(CustomerMessage message, CancellationToken cancellation)
    {
        _latest[(message.CaseId, message.Kind)] = message;
        return Task.FromResult(new MessageReceipt(Channel, Guid.NewGuid().ToString("N")));
    }

    public string LinkCode(Guid caseId) => System.Web.HttpUtility.ParseQueryString(new Uri(_latest[(caseId, "link")].Url!).Query)["code"]!;

    public string Code(Guid caseId) => _latest[(caseId, "code")].Code!;
}
