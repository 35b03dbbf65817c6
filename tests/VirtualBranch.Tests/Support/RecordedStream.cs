using System.Text.Json;

namespace VirtualBranch.Tests.Support;

/// <summary>One event as the store kept it: its type name and its JSON, byte for byte.</summary>
public sealed record RecordedEvent(string Type, string Json);

/// <summary>One accepted command of a recorded case: who gave it, when, and the events it appended (the seal aside).</summary>
public sealed record RecordedCommand(string ActorId, string ActorRole, DateTimeOffset At, IReadOnlyList<RecordedEvent> Events);

/// <summary>
/// A case's stream as an earlier version of the engine wrote it, kept in a file beside the tests: streams already in a
/// bank's store are never rewritten, so the engine must keep reading, folding and verifying them as they are.
/// </summary>
public static class RecordedStream
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string PathOf(string name) => Path.Combine(AppContext.BaseDirectory, "Evidence", "Recorded", name);

    public static IReadOnlyList<RecordedCommand> Read(string name) =>
        JsonSerializer.Deserialize<List<RecordedCommand>>(File.ReadAllText(PathOf(name)))!;

    public static string Write(IReadOnlyList<RecordedCommand> commands) => JsonSerializer.Serialize(commands, Indented);

    /// <summary>The command's events as the store serialises them.</summary>
    public static RecordedCommand Record(Weasel.Storage.IStorageSerializer serializer, VirtualBranch.Engine.Runtime.CaseCommand command, IEnumerable<object> events) =>
        new(command.Actor.Id, command.Actor.Role, command.Now,
            [.. events.Select(e => new RecordedEvent(VirtualBranch.Engine.Persistence.CaseStreams.EventTypeName(e.GetType()), serializer.ToJson(e)))]);
}
