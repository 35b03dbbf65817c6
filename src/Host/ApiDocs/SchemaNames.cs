using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.OpenApi;

namespace VirtualBranch.Host.ApiDocs;

/// <summary>
/// The names of schema components. By default a type's simple name, which let <c>TellerView.View</c> and
/// <c>CustomerView.View</c> share one component, so a client read the customer's view with the teller's shape.
/// </summary>
public static class SchemaNames
{
    private static readonly ConcurrentDictionary<string, Type> Claimed = new(StringComparer.Ordinal);

    public static string? For(JsonTypeInfo info)
    {
        // Free JSON (case data, step input) is any value: inline "{}", not an object type a generator invents a class for.
        if ((Nullable.GetUnderlyingType(info.Type) ?? info.Type) == typeof(JsonElement))
        {
            return null;
        }
        var name = OpenApiOptions.CreateDefaultSchemaReferenceId(info);
        // A type named for its role inside its owner (TellerView.View) is named by the owner.
        if (name is not null && info.Type.DeclaringType is { } owner && owner.Name.EndsWith(info.Type.Name, StringComparison.Ordinal))
        {
            name = owner.Name;
        }
        if (name is not null && Claimed.GetOrAdd(name, info.Type) is var first && first != info.Type)
        {
            throw new InvalidOperationException($"{first.FullName} and {info.Type.FullName} would share the schema name '{name}'; rename one.");
        }
        return name;
    }
}
