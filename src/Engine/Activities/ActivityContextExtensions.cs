using System.Text.Json;
using VirtualBranch.Engine.Runtime;

namespace VirtualBranch.Engine.Activities;

/// <summary>Conveniences for activities: reading typed inputs and the bookmark id a wait will get.</summary>
public static class ActivityContextExtensions
{
    /// <summary>The id the interpreter gives this step's wait in the current run.</summary>
    public static string BookmarkId(this ActivityContext context) => $"{context.StepId}.{context.Run}";

    public static bool Flag(this ActivityContext context, string input, bool fallback = false) =>
        context.Node.Input(input) is { ValueKind: JsonValueKind.True or JsonValueKind.False } value ? value.GetBoolean() : fallback;

    public static int Integer(this ActivityContext context, string input, int fallback) =>
        context.Node.Input(input) is { ValueKind: JsonValueKind.Number } value && value.TryGetInt32(out var number) ? number : fallback;

    public static string? Text(this JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>A form's schema, its properties in the order the form shows them (the store writes a canonical copy into events).</summary>
    public static JsonElement Schema(string json) => JsonDocument.Parse(json).RootElement.Clone();

    public static JsonElement Output(object value) => JsonSerializer.SerializeToElement(value);

    /// <summary>A stable id for something a step run creates (a recording), the same on every replay.</summary>
    public static Guid StableId(this ActivityContext context, string purpose)
    {
        var bytes = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"{context.State.Id:N}/{context.StepId}/{context.Run}/{purpose}"))[..16];
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x80);
        return new Guid(bytes);
    }
}
