using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace VirtualBranch.Engine.Definitions;

/// <summary>
/// JSON with object keys sorted (ordinal) and no insignificant whitespace, so equal content gives equal bytes
/// and therefore equal hashes, whatever the author's formatting.
/// </summary>
public static class CanonicalJson
{
    public static string Write(JsonElement element)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            WriteElement(writer, element);
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    public static string Sha256Hex(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    private static void WriteElement(Utf8JsonWriter writer, JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                writer.WriteStartObject();
                foreach (var property in element.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal))
                {
                    writer.WritePropertyName(property.Name);
                    WriteElement(writer, property.Value);
                }
                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in element.EnumerateArray())
                {
                    WriteElement(writer, item);
                }
                writer.WriteEndArray();
                break;
            case JsonValueKind.Number when decimal.TryParse(element.GetRawText(), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var number):
                // 1E+3 and 1000 are the same number; PostgreSQL's jsonb writes the plain form, so do we.
                writer.WriteRawValue(number.ToString(System.Globalization.CultureInfo.InvariantCulture));
                break;
            default:
                element.WriteTo(writer);
                break;
        }
    }
}
