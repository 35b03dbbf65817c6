using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using VirtualBranch.Engine.Definitions;

namespace VirtualBranch.Engine.Integrity;

/// <summary>
/// The tamper-evident chain over a case's events:
/// <c>hash = SHA-256(previous hash ‖ version ‖ event type ‖ canonical JSON of the data ‖ recorded-at ‖ actor)</c>,
/// each part UTF-8 and separated by a 0x1F unit separator. The first event's previous hash is 64 zeros.
/// </summary>
public static class HashChain
{
    public const string Genesis = "0000000000000000000000000000000000000000000000000000000000000000";

    /// <summary>Header names under which each event row keeps its link in the chain.</summary>
    public const string HashHeader = "hash";
    public const string PreviousHeader = "prev";
    public const string RecordedAtHeader = "at";
    public const string ActorRoleHeader = "actor-role";
    public const string ActorIdHeader = "actor-id";

    public static string Link(string previousHash, long version, string eventType, string canonicalData, string recordedAt, string actor)
    {
        var text = string.Join('\u001f', previousHash, version.ToString(CultureInfo.InvariantCulture), eventType, canonicalData, recordedAt, actor);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }

    /// <summary>The time as it is written into the chain (UTC, round-trip format).</summary>
    public static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);

    public static string Actor(string id, string role) => $"{id}/{role}";

    /// <summary>Canonical JSON of event data as stored (PostgreSQL's jsonb reorders keys and normalises numbers; so do we).</summary>
    public static string Canonical(string json)
    {
        using var document = JsonDocument.Parse(json);
        return CanonicalJson.Write(document.RootElement);
    }
}
