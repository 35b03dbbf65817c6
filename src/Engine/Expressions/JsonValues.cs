using System.Text.Json;
using Jint.Native;

namespace VirtualBranch.Engine.Expressions;

/// <summary>
/// JSON values as an expression sees them, built straight from the parsed JSON: the same values <c>JSON.parse</c>
/// of their text would give (own data properties in order, the last of two equal names winning), without writing
/// the text out and lexing it again for every evaluation.
/// </summary>
internal static class JsonValues
{
    public static JsValue ToJs(Jint.Engine engine, JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var value = new JsObject(engine);
                foreach (var property in element.EnumerateObject())
                {
                    if (Text(property) is not { } name)
                    {
                        return Parse(engine, element);
                    }
                    // As JSON.parse: an own data property even for "__proto__", where a plain set would change the prototype.
                    value.CreateDataProperty(JsString.Create(name), ToJs(engine, property.Value));
                }
                return value;
            case JsonValueKind.Array:
                var items = new JsValue[element.GetArrayLength()];
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    items[index++] = ToJs(engine, item);
                }
                return new JsArray(engine, items);
            case JsonValueKind.String:
                return Text(element) is { } text ? JsString.Create(text) : Parse(engine, element);
            case JsonValueKind.Number when element.TryGetDouble(out var number) && double.IsFinite(number) && (number != 0 || element.GetRawText()[0] != '-'):
                return JsNumber.Create(number);
            case JsonValueKind.Number:
                // Minus zero and numbers beyond a double are left to JSON.parse, which keeps the sign and gives Infinity.
                return Parse(engine, element);
            case JsonValueKind.True:
                return JsBoolean.True;
            case JsonValueKind.False:
                return JsBoolean.False;
            default:
                return JsValue.Null;
        }
    }

    /// <summary>A map of values (the case's variables, the steps' outputs) as one object, in the map's order.</summary>
    public static JsValue ToJs(Jint.Engine engine, IReadOnlyDictionary<string, JsonElement> map)
    {
        var value = new JsObject(engine);
        foreach (var (name, item) in map)
        {
            value.CreateDataProperty(JsString.Create(name), ToJs(engine, item));
        }
        return value;
    }

    // The text of a string or a name, or null when .NET will not decode it (an escaped lone surrogate); JSON.parse does.
    private static string? Text(JsonElement element)
    {
        try
        {
            return element.GetString();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    private static string? Text(JsonProperty property)
    {
        try
        {
            return property.Name;
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    // What .NET does not decode (a lone surrogate) or hold (a number beyond double), read as JSON.parse reads its text.
    private static JsValue Parse(Jint.Engine engine, JsonElement element) => new Jint.Native.Json.JsonParser(engine).Parse(element.GetRawText());
}
