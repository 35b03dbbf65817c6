using System.Globalization;
using System.Text;
using System.Text.Json;
using Shouldly;
using VirtualBranch.Engine.Integrity;

namespace VirtualBranch.Tests.Engine;

/// <summary>
/// The canonical form is what every hash in every stored chain was taken over: the forward-reader implementation must
/// give exactly the bytes the document-based one (kept here as the oracle) gave, or old chains would stop verifying.
/// </summary>
public sealed class CanonicalJsonTests
{
    public static TheoryData<string> Documents() =>
    [
        """{"b":1,"a":2}""",
        """{ "z" : [ 3, 2, { "y": null, "x": true } ], "a": false }""",
        """{"customerName":"张三","amount":200000.50,"e":1E+3,"neg":-0,"small":1e-7,"big":123456789012345678901234567890123,"int":0}""",
        """{"esc":"line\nbreak \"quoted\" \\ \u00e9 \u2028 \ud83d\ude00 </script>","\u00e9":"key escaped","é":"same key raw"}""",
        """{"dup":1,"dup":2,"a":{"dup":"x","dup":"y"}}""",
        """{"Aa":1,"a":2,"B":3,"_":4,"":5,"ä":6,"\uE000":7,"😀":8}""",
        """[1, -2.50, 3.0e2, "s", [], {}, [[]], {"k": {}}]""",
        """  "just a string"  """,
        """-12.5e-3""",
        """{"schema":{"type":"object","required":["a","b"],"properties":{"b":{"type":"string","format":"cn-resident-id"},"a":{"minimum":0.01,"maximum":1E+7}}}}""",
    ];

    [Theory]
    [MemberData(nameof(Documents))]
    public void gives_the_same_bytes_as_the_document_based_form(string json)
    {
        CanonicalJson.Write(json).ShouldBe(Oracle(json));
    }

    [Fact]
    public void equal_content_gives_equal_form_whatever_the_key_order_and_spacing()
    {
        CanonicalJson.Write("""{"b": [1, {"d": 1E+2, "c": "x"}], "a": null}""")
            .ShouldBe(CanonicalJson.Write("""{"a":null,"b":[1,{"c":"x","d":100}]}"""));
        CanonicalJson.Write("""{"a":null,"b":[1,{"c":"x","d":100}]}""").ShouldBe("""{"a":null,"b":[1,{"c":"x","d":100}]}""");
    }

    [Theory]
    [MemberData(nameof(Documents))]
    public void the_chain_link_hashes_the_canonical_form_of_the_data(string json)
    {
        var byString = HashChain.Link(HashChain.Genesis, 7, "step_waiting", Oracle(json), "2026-11-26T00:00:00.0000000Z", "teller/teller");
        var byData = HashChain.LinkData(null, HashChain.Genesis, 7, "step_waiting", json, "2026-11-26T00:00:00.0000000Z", "teller/teller");
        byData.ShouldBe(byString);
        var joined = string.Join('\u001f', HashChain.Genesis, "7", "step_waiting", Oracle(json), "2026-11-26T00:00:00.0000000Z", "teller/teller");
        byData.ShouldBe(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(joined))));
    }

    [Theory]
    [MemberData(nameof(Documents))]
    public void text_the_check_passes_is_already_its_canonical_form(string json)
    {
        foreach (var text in new[] { json, Oracle(json) })
        {
            if (CanonicalJson.IsCanonical(Encoding.UTF8.GetBytes(text)))
            {
                Oracle(text).ShouldBe(text);
            }
        }
    }

    [Theory]
    [InlineData("""{"a":1,"b":[true,false,null],"c":{"d":"x","e":-12.50}}""")]
    [InlineData("""{"Aa":1,"B":2,"_":3,"a":4}""")]
    [InlineData("""{"dup":1,"dup":2}""")]
    [InlineData("""{"text":"借款人 Borrower: 张三\n第二行 \"quoted\" \\ </script> +08:00"}""")]
    [InlineData("""[0,0.0,0.50,-7,123456789012345678901234567890123,"",{},[]]""")]
    [InlineData("""[-1234567890123456.789012345678,0.000000000000000000000000001,"\u001F\b"]""")]
    [InlineData("\"just a string\"")]
    public void canonical_text_is_recognised_and_kept_byte_for_byte(string json)
    {
        Oracle(json).ShouldBe(json);
        CanonicalJson.IsCanonical(Encoding.UTF8.GetBytes(json)).ShouldBeTrue();
        CanonicalJson.Write(json).ShouldBe(json);
    }

    [Theory]
    [InlineData("""{"a":1, "b":2}""")]
    [InlineData(""" {"a":1}""")]
    [InlineData("""{"a":1} """)]
    [InlineData("""{"b":1,"a":2}""")]
    [InlineData("""{"a":{"y":1,"x":2}}""")]
    [InlineData("""{"a":"\u0041"}""")]
    [InlineData("""{"a":"\u000a"}""")]
    [InlineData("""{"é":1}""")]
    [InlineData("""{"a":1e3}""")]
    [InlineData("""{"a":-0}""")]
    [InlineData("""{"a":-0.0}""")]
    [InlineData("""{"a":1.25E2}""")]
    [InlineData("""{"a":0.12345678901234567890123456789}""")]
    [InlineData("""[1,2,]""")]
    [InlineData("""{"a":1}{"b":2}""")]
    [InlineData("""/* note */{"a":1}""")]
    [InlineData("")]
    public void anything_else_is_rewritten(string json)
    {
        CanonicalJson.IsCanonical(Encoding.UTF8.GetBytes(json)).ShouldBeFalse();
    }

    [Fact]
    public void events_are_serialised_in_canonical_form_by_the_store_settings()
    {
        var options = new JsonSerializerOptions();
        VirtualBranch.Engine.Persistence.CaseStoreConfiguration.WriteCanonically(options);
        using var input = JsonDocument.Parse("""{"z":{"b":2,"a":"line\nbreak"},"a":[3,{"y":1,"x":0}]}""");
        var text = JsonSerializer.Serialize(new { Zeta = "张三 +08:00", Alpha = input.RootElement, Mid = (JsonElement?)null }, options);
        text.ShouldBe("""{"Alpha":{"a":[3,{"x":0,"y":1}],"z":{"a":"line\nbreak","b":2}},"Mid":null,"Zeta":"张三 +08:00"}""");
        CanonicalJson.IsCanonical(Encoding.UTF8.GetBytes(text)).ShouldBeTrue();
    }

    [Fact]
    public void thousands_of_generated_documents_give_the_same_bytes_as_the_document_based_form()
    {
        var random = new Random(20261126); // fixed: the same documents on every run
        string[] names = ["a", "b", "B", "Aa", "_", "", "é", "\\u00e9", "ä", "\\uE000", "😀", "dup", "dup", "\\u0061", "stepId", "StepId"];
        string[] strings = ["", "x", "张三", "line\\nbreak", "\\\"quoted\\\"", "back\\\\slash", "\\u2028", "\\ud83d\\ude00", "</script>", "+08:00", "tab\\t", "\\u001f", "\\/"];
        string[] numbers = ["0", "-0", "12", "-7", "1.50", "0.0", "1e3", "1E+3", "-12.5e-3", "123456789012345678901234567890123", "0.1000000000000000055511151231257827", "1E400", "200000.50"];
        string Space() => random.Next(4) switch { 0 => " ", 1 => "\n  ", _ => "" };
        string Value(int depth) => random.Next(depth > 3 ? 4 : 7) switch
        {
            0 => $"\"{strings[random.Next(strings.Length)]}\"",
            1 => numbers[random.Next(numbers.Length)],
            2 => random.Next(3) switch { 0 => "true", 1 => "false", _ => "null" },
            3 => $"\"{names[random.Next(names.Length)]}\"",
            4 or 5 => "{" + Space() + string.Join("," + Space(), Enumerable.Range(0, random.Next(7))
                .Select(_ => $"\"{names[random.Next(names.Length)]}\"{Space()}:{Space()}{Value(depth + 1)}")) + Space() + "}",
            _ => "[" + string.Join("," + Space(), Enumerable.Range(0, random.Next(6)).Select(_ => Value(depth + 1))) + "]",
        };
        for (var i = 0; i < 3000; i++)
        {
            var json = Space() + Value(0) + Space();
            CanonicalJson.Write(json).ShouldBe(Oracle(json), json);
        }
    }

    /// <summary>What verification reads back is PostgreSQL's jsonb text: its canonical form must be the one hashed at the write.</summary>
    [Theory]
    [InlineData("-0")]
    [InlineData("-0.0")]
    [InlineData("1e3")]
    [InlineData("1.50e1")]
    [InlineData("1E+28")]
    [InlineData("7.9e28")]
    [InlineData("1e29")]
    [InlineData("-1.5e30")]
    [InlineData("1.25E+40")]
    [InlineData("123456789012345678901234567890.5e1")]
    [InlineData("1e-28")]
    [InlineData("-2.5e-29")]
    [InlineData("1e-40")]
    [InlineData("0.1000000000000000055511151231257827")]
    [InlineData("123456789012345678901234567890123")]
    [InlineData("-123456789012345678901234567890123.50")]
    public async Task a_number_canonicalises_the_same_as_written_and_as_postgresql_gives_it_back(string number)
    {
        var written = $$"""{"n":{{number}},"s":"a\u2028b\/c\u00e9"}""";
        await using var connection = new Npgsql.NpgsqlConnection(VirtualBranch.Tests.Support.TestDatabase.ServerConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand("select $1::jsonb::text", connection) { Parameters = { new() { Value = written } } };
        var stored = (string)(await command.ExecuteScalarAsync())!;

        CanonicalJson.Write(stored).ShouldBe(CanonicalJson.Write(written), $"stored as {stored}");
    }

    [Fact]
    public void an_object_with_many_members_is_sorted_like_a_small_one()
    {
        var members = Enumerable.Range(0, 200).Select(i => $"\"k{(i * 7919) % 200:D3}\":{i}").Append("\"k000\":\"again\"");
        var json = "{" + string.Join(", ", members) + "}";
        CanonicalJson.Write(json).ShouldBe(Oracle(json));
    }

    /// <summary>A number beyond decimal's range with an exponent, in plain digits as PostgreSQL's numeric writes it (computed with BigInteger).</summary>
    private static string Expanded(string raw)
    {
        var e = raw.IndexOfAny(['e', 'E']);
        var exponent = int.Parse(raw[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        var mantissa = raw[..e];
        var fraction = mantissa.Contains('.') ? mantissa[(mantissa.IndexOf('.') + 1)..].Length : 0;
        var unscaled = System.Numerics.BigInteger.Parse(mantissa.Replace(".", ""), CultureInfo.InvariantCulture);
        var scale = Math.Max(0, fraction - exponent);
        // value = unscaled × 10^(exponent − fraction) = (unscaled × 10^(exponent − fraction + scale)) / 10^scale
        var scaled = unscaled * System.Numerics.BigInteger.Pow(10, exponent - fraction + scale);
        var digits = System.Numerics.BigInteger.Abs(scaled).ToString(CultureInfo.InvariantCulture).PadLeft(scale + 1, '0');
        var text = scale > 0 ? $"{digits[..^scale]}.{digits[^scale..]}" : digits;
        return scaled.Sign < 0 ? "-" + text : text;
    }

    /// <summary>
    /// The canonical form as it was first written: parse to a document, write keys sorted (stable), numbers as decimals
    /// (and, since numbers beyond decimal with an exponent broke every chain they were in, those in plain digits).
    /// </summary>
    private static string Oracle(string json)
    {
        using var document = JsonDocument.Parse(json);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            Write(writer, document.RootElement);
        }
        return Encoding.UTF8.GetString(buffer.ToArray());

        static void Write(Utf8JsonWriter writer, JsonElement element)
        {
            switch (element.ValueKind)
            {
                case JsonValueKind.Object:
                    writer.WriteStartObject();
                    foreach (var property in element.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal))
                    {
                        writer.WritePropertyName(property.Name);
                        Write(writer, property.Value);
                    }
                    writer.WriteEndObject();
                    break;
                case JsonValueKind.Array:
                    writer.WriteStartArray();
                    foreach (var item in element.EnumerateArray())
                    {
                        Write(writer, item);
                    }
                    writer.WriteEndArray();
                    break;
                case JsonValueKind.Number when decimal.TryParse(element.GetRawText(), NumberStyles.Float, CultureInfo.InvariantCulture, out var number):
                    writer.WriteRawValue(number.ToString(CultureInfo.InvariantCulture));
                    break;
                case JsonValueKind.Number when element.GetRawText().IndexOfAny(['e', 'E']) >= 0:
                    writer.WriteRawValue(Expanded(element.GetRawText()));
                    break;
                default:
                    element.WriteTo(writer);
                    break;
            }
        }
    }
}
