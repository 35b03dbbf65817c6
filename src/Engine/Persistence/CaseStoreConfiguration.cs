using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Marten;
using VirtualBranch.Engine.Runtime;

namespace VirtualBranch.Engine.Persistence;

/// <summary>What the engine keeps in Marten: case streams and their events, summaries and definitions.</summary>
public static class CaseStoreConfiguration
{
    /// <param name="reveal">Opens the personal values sealed in what is read (see <see cref="ChainedEventSerializer"/>).</param>
    public static StoreOptions AddCaseStreams(this StoreOptions options, IEnumerable<Type> domainEventTypes, Func<string, string>? reveal = null)
    {
        foreach (var type in CaseEventTypes.All.Concat(domainEventTypes))
        {
            options.Events.AddEventType(type);
        }
        // Queue fields are columns of their own (indexed), not expressions over the document: a command that leaves
        // them as they were (most commands) updates its summary without touching an index (a heap-only update).
        options.Schema.For<CaseSummary>()
            .Duplicate(s => s.Status)
            .Duplicate(s => s.DefinitionId)
            .Duplicate(s => s.DueAt)
            .Duplicate(s => s.Assignee)
            .Duplicate(s => s.Number, configure: index => index.IsUnique = true);
        options.Schema.For<StoredDefinition>().Index(d => d.DefinitionId);
        // Each event is serialised once: the store writes the text the hash chain was taken over (see CaseStreams.Append).
        options.Serializer(new ChainedEventSerializer(options.Serializer(), reveal));
        return options;
    }

    /// <summary>
    /// Serialises in the canonical form the hash chain is taken over (<see cref="Integrity.CanonicalJson"/>): properties
    /// in ordinal order of their names, strings escaped only where JSON must. Chaining an event then checks its JSON
    /// instead of rewriting it. What is stored means the same as before (jsonb keeps neither order nor escapes; JSON
    /// whose numbers the canonical form would round or reformat is written as it came), and the hashes are the same:
    /// they were always taken over the canonical form.
    /// </summary>
    public static void WriteCanonically(JsonSerializerOptions json)
    {
        json.Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
        json.Converters.Add(new CanonicalElementConverter());
        json.TypeInfoResolver = (json.TypeInfoResolver ?? new DefaultJsonTypeInfoResolver()).WithAddedModifier(static type =>
        {
            if (type.Kind != JsonTypeInfoKind.Object)
            {
                return;
            }
            var order = 0;
            foreach (var property in type.Properties.OrderBy(p => p.Name, StringComparer.Ordinal).ToList())
            {
                property.Order = order++;
            }
        });
    }
}

/// <summary>JSON carried inside an event (case data, a step's input and output, a schema) written in canonical form.</summary>
internal sealed class CanonicalElementConverter : System.Text.Json.Serialization.JsonConverter<JsonElement>
{
    public override JsonElement Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => JsonElement.ParseValue(ref reader);

    public override void Write(Utf8JsonWriter writer, JsonElement value, JsonSerializerOptions options) => Integrity.CanonicalJson.WriteElement(writer, value);
}
