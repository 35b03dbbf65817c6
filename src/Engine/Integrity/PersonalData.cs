using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace VirtualBranch.Engine.Integrity;

/// <summary>
/// Personal data inside stored events, encrypted with the case's own data key so that destroying the key erases it
/// (crypto-shredding) while the chain, taken over the stored text, still verifies.
/// <para>
/// A field is personal when its schema says <c>"x-personal": true</c>, or when its format is a resident-id or mobile
/// number (<c>cn-resident-id</c>, <c>cn-mobile</c>) and it does not say <c>"x-personal": false</c>. Every string in an
/// event that contains one of the case's personal values is stored sealed: the identity check's copy of the id number,
/// a participant's name, a contract text that names the customer. A sealed string is
/// <c>vb:pii:1:&lt;case id&gt;:&lt;base64 of nonce ‖ ciphertext ‖ tag&gt;</c> (AES-256-GCM; the prefix and case id are
/// the associated data, so a sealed value copied into another case does not open there). Reading reveals it with the
/// case's key, or reads <see cref="Erased"/> once the key is destroyed.
/// </para>
/// </summary>
public static class PersonalData
{
    public const string Prefix = "vb:pii:1:";

    /// <summary>What a sealed value reads as after its case's key was destroyed.</summary>
    public const string Erased = "[erased]";

    /// <summary>The schema keyword marking a field personal (or, with <c>false</c>, not personal despite its format).</summary>
    public const string Keyword = "x-personal";

    /// <summary>Formats that are personal unless the field says otherwise.</summary>
    public static readonly IReadOnlySet<string> PersonalFormats = new HashSet<string>(StringComparer.Ordinal) { "cn-resident-id", "cn-mobile" };

    /// <summary>A shorter value (one character) would seal unrelated text that happens to contain it.</summary>
    public const int MinimumLength = 2;

    private const int NonceSize = 12;
    private const int TagSize = 16;
    private const int CaseIdLength = 32;

    public static bool IsPersonal(JsonElement fieldSchema) =>
        fieldSchema.ValueKind == JsonValueKind.Object && (fieldSchema.TryGetProperty(Keyword, out var marked) && marked.ValueKind is JsonValueKind.True or JsonValueKind.False
            ? marked.ValueKind == JsonValueKind.True
            : fieldSchema.TryGetProperty("format", out var format) && format.ValueKind == JsonValueKind.String && PersonalFormats.Contains(format.GetString()!));

    /// <summary>Adds to <paramref name="into"/> the personal strings of <paramref name="value"/> as <paramref name="schema"/> describes it.</summary>
    public static void Collect(JsonElement schema, JsonElement value, ISet<string> into)
    {
        if (schema.ValueKind != JsonValueKind.Object)
        {
            return;
        }
        if (IsPersonal(schema))
        {
            AddStrings(value, into);
            return;
        }
        if (value.ValueKind == JsonValueKind.Object && schema.TryGetProperty("properties", out var properties) && properties.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in properties.EnumerateObject())
            {
                if (value.TryGetProperty(property.Name, out var field))
                {
                    Collect(property.Value, field, into);
                }
            }
        }
        else if (value.ValueKind == JsonValueKind.Array && schema.TryGetProperty("items", out var items))
        {
            foreach (var item in value.EnumerateArray())
            {
                Collect(items, item, into);
            }
        }
    }

    private static void AddStrings(JsonElement value, ISet<string> into)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.String when value.GetString() is { Length: >= MinimumLength } text && !text.StartsWith(Prefix, StringComparison.Ordinal):
                into.Add(text);
                break;
            case JsonValueKind.Array:
                foreach (var item in value.EnumerateArray())
                {
                    AddStrings(item, into);
                }
                break;
            case JsonValueKind.Object:
                foreach (var property in value.EnumerateObject())
                {
                    AddStrings(property.Value, into);
                }
                break;
        }
    }

    /// <summary>
    /// <paramref name="json"/> with every string that contains one of <paramref name="values"/> sealed under
    /// <paramref name="key"/>; the same text when there is none.
    /// </summary>
    public static string Seal(string json, Guid caseId, IReadOnlyCollection<string> values, byte[] key)
    {
        if (values.Count == 0 || !values.Any(v => json.Contains(v, StringComparison.Ordinal) || NeedsEscaping(v)))
        {
            return json;
        }
        var root = JsonNode.Parse(json);
        var changed = false;
        var aad = AssociatedData(caseId);
        root = Rewrite(root, text => values.Any(v => text.Contains(v, StringComparison.Ordinal)) ? SealOne(text, caseId, aad, key) : null, ref changed);
        return changed ? root!.ToJsonString(Options) : json;
    }

    /// <summary>One value sealed under the case's key (a contact kept beside the case, for instance).</summary>
    public static string SealValue(string text, Guid caseId, byte[] key) => SealOne(text, caseId, AssociatedData(caseId), key);

    /// <summary>
    /// <paramref name="json"/> with its sealed strings opened (<see cref="Erased"/> where the key is gone), or null when it
    /// holds none. <paramref name="keyOf"/> gives a case's data key, null once destroyed.
    /// </summary>
    public static string? Reveal(string json, Func<Guid, byte[]?> keyOf)
    {
        if (!json.Contains(Prefix, StringComparison.Ordinal))
        {
            return null;
        }
        var changed = false;
        var root = Rewrite(JsonNode.Parse(json), text => text.StartsWith(Prefix, StringComparison.Ordinal) ? Open(text, keyOf) : null, ref changed);
        return changed ? root!.ToJsonString(Options) : null;
    }

    /// <summary>Whether the text is a sealed value.</summary>
    public static bool IsSealed(string text) => text.StartsWith(Prefix, StringComparison.Ordinal);

    private static readonly JsonSerializerOptions Options = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static bool NeedsEscaping(string value) => value.Any(c => c is '"' or '\\' or < ' ');

    private static byte[] AssociatedData(Guid caseId) => Encoding.ASCII.GetBytes(Prefix + caseId.ToString("N"));

    private static string SealOne(string text, Guid caseId, byte[] aad, byte[] key)
    {
        var plain = Encoding.UTF8.GetBytes(text);
        var sealedBytes = new byte[NonceSize + plain.Length + TagSize];
        var nonce = sealedBytes.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(key, TagSize);
        aes.Encrypt(nonce, plain, sealedBytes.AsSpan(NonceSize, plain.Length), sealedBytes.AsSpan(NonceSize + plain.Length), aad);
        return $"{Prefix}{caseId:N}:{Convert.ToBase64String(sealedBytes)}";
    }

    private static string Open(string text, Func<Guid, byte[]?> keyOf)
    {
        var rest = text.AsSpan(Prefix.Length);
        if (rest.Length < CaseIdLength + 1 || rest[CaseIdLength] != ':' || !Guid.TryParseExact(rest[..CaseIdLength], "N", out var caseId))
        {
            return text;
        }
        if (keyOf(caseId) is not { } key)
        {
            return Erased;
        }
        byte[] sealedBytes;
        try
        {
            sealedBytes = Convert.FromBase64String(rest[(CaseIdLength + 1)..].ToString());
        }
        catch (FormatException)
        {
            return text;
        }
        if (sealedBytes.Length < NonceSize + TagSize)
        {
            return text;
        }
        var plain = new byte[sealedBytes.Length - NonceSize - TagSize];
        try
        {
            using var aes = new AesGcm(key, TagSize);
            aes.Decrypt(sealedBytes.AsSpan(0, NonceSize), sealedBytes.AsSpan(NonceSize, plain.Length), sealedBytes.AsSpan(NonceSize + plain.Length), plain,
                AssociatedData(caseId));
        }
        catch (AuthenticationTagMismatchException)
        {
            return text; // not this case's key, or altered: shown as stored (verify names an altered event)
        }
        return Encoding.UTF8.GetString(plain);
    }

    /// <summary>The node with each string <paramref name="map"/> gives a replacement for replaced.</summary>
    private static JsonNode? Rewrite(JsonNode? node, Func<string, string?> map, ref bool changed)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var name in obj.Select(p => p.Key).ToList())
                {
                    var child = obj[name];
                    var rewritten = Rewrite(child, map, ref changed);
                    if (!ReferenceEquals(rewritten, child))
                    {
                        obj[name] = rewritten;
                    }
                }
                return obj;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    var child = array[i];
                    var rewritten = Rewrite(child, map, ref changed);
                    if (!ReferenceEquals(rewritten, child))
                    {
                        array[i] = rewritten;
                    }
                }
                return array;
            case JsonValue value when value.GetValueKind() == JsonValueKind.String && map(value.GetValue<string>()) is { } replacement:
                changed = true;
                return JsonValue.Create(replacement);
            default:
                return node;
        }
    }
}
