using System.Text.Json;
using VirtualBranch.Engine.Definitions;
using VirtualBranch.Engine.Runtime;

namespace VirtualBranch.Host.Customers;

/// <summary>
/// Where the customer's messages go: the first case-data field whose schema has <c>format: "cn-mobile"</c>, the mobile
/// number registered when the case was opened. Staff cannot redirect it afterwards.
/// </summary>
public static class CustomerContact
{
    public const string MobileFormat = "cn-mobile";

    /// <summary>The case's contact, or null when its scenario declares no mobile field or the case has none.</summary>
    public static string? Of(CaseState state, WorkflowDefinition definition)
    {
        if (definition.Inputs.ValueKind != JsonValueKind.Object || !definition.Inputs.TryGetProperty("properties", out var properties)
            || properties.ValueKind != JsonValueKind.Object || state.Data.ValueKind != JsonValueKind.Object)
        {
            return null;
        }
        foreach (var field in properties.EnumerateObject())
        {
            if (field.Value.ValueKind == JsonValueKind.Object && field.Value.TryGetProperty("format", out var format) && format.ValueEquals(MobileFormat)
                && state.Data.TryGetProperty(field.Name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } contact)
            {
                return contact;
            }
        }
        return null;
    }

    /// <summary>The contact as evidence and staff see it: 138****8000.</summary>
    public static string Masked(string contact) =>
        contact.Length <= 7 ? new string('*', contact.Length) : contact[..3] + new string('*', contact.Length - 7) + contact[^4..];
}
