using System.Text.Json;
using VirtualBranch.Engine.Integrity;

namespace VirtualBranch.Host.Customers;

/// <summary>
/// The embedded messenger: instead of an SMS, each message is one JSON line in <c>.data/outbox/messages.jsonl</c> (0600),
/// which stands in for the customer's phone in a demo (<c>./run.sh cli outbox</c> prints it). It is never served over HTTP.
/// </summary>
public sealed class LocalOutboxMessenger(string folder, TimeProvider clock) : ICustomerMessenger, IDisposable
{
    public const string Name = "local-outbox";
    public const string FileName = "messages.jsonl";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private readonly SemaphoreSlim _append = new(1, 1);

    public string Channel => Name;

    public string Path => System.IO.Path.Combine(folder, FileName);

    public async Task<MessageReceipt> SendAsync(CustomerMessage message, CancellationToken cancellation)
    {
        var reference = Guid.CreateVersion7(clock.GetUtcNow()).ToString("N");
        var line = JsonSerializer.Serialize(new OutboxEntry(reference, clock.GetUtcNow(), message.CaseId, message.To, message.Kind, message.Text, message.Url, message.Code), Json);
        await _append.WaitAsync(cancellation);
        try
        {
            PrivateFiles.Folder(folder);
            var options = new FileStreamOptions { Mode = FileMode.Append, Access = FileAccess.Write, Share = FileShare.Read };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = PrivateFiles.OwnerOnlyFile;
            }
            await using var file = new FileStream(Path, options);
            await using var writer = new StreamWriter(file);
            await writer.WriteLineAsync(line.AsMemory(), cancellation);
        }
        catch (IOException ex)
        {
            throw new MessageNotSentException($"The local outbox {Path} cannot be written: {ex.Message}", ex);
        }
        finally
        {
            _append.Release();
        }
        return new MessageReceipt(Name, reference);
    }

    public void Dispose() => _append.Dispose();

    /// <summary>Every message in the outbox at <paramref name="folder"/>, oldest first (none when there is no outbox yet).</summary>
    public static IReadOnlyList<OutboxEntry> Read(string folder)
    {
        var path = System.IO.Path.Combine(folder, FileName);
        if (!File.Exists(path))
        {
            return [];
        }
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(file);
        var entries = new List<OutboxEntry>();
        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 0)
            {
                entries.Add(JsonSerializer.Deserialize<OutboxEntry>(line, Json)!);
            }
        }
        return entries;
    }
}

/// <summary>One message in the local outbox.</summary>
public sealed record OutboxEntry(string Reference, DateTimeOffset SentAt, Guid CaseId, string To, string Kind, string Text, string? Url, string? Code);
