using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Json.Schema;

namespace VirtualBranch.Workflows.Formats;

/// <summary><c>cn-resident-id</c>: an 18-character resident identity number with a valid birth date and GB 11643 check character.</summary>
public sealed class ResidentIdFormat() : Format("cn-resident-id")
{
    public override bool Validate(JsonElement value, out string? errorMessage)
    {
        errorMessage = value.ValueKind == JsonValueKind.String ? ChineseIds.ResidentIdProblem(value.GetString()!) : null;
        errorMessage = errorMessage is null ? null : $"Not a valid resident id number: {errorMessage}.";
        return errorMessage is null;
    }
}

/// <summary><c>cn-uscc</c>: an 18-character unified social credit code with a valid GB 32100 check character.</summary>
public sealed class CreditCodeFormat() : Format("cn-uscc")
{
    public override bool Validate(JsonElement value, out string? errorMessage)
    {
        errorMessage = value.ValueKind == JsonValueKind.String ? ChineseIds.CreditCodeProblem(value.GetString()!) : null;
        errorMessage = errorMessage is null ? null : $"Not a valid unified social credit code: {errorMessage}.";
        return errorMessage is null;
    }
}

/// <summary><c>cn-mobile</c>: a mainland mobile number, 11 digits starting 13-19.</summary>
public sealed partial class MobileFormat() : Format("cn-mobile")
{
    public override bool Validate(JsonElement value, out string? errorMessage)
    {
        var ok = value.ValueKind != JsonValueKind.String || Pattern().IsMatch(value.GetString()!);
        errorMessage = ok ? null : "Not a mainland mobile number (11 digits starting with 13 to 19).";
        return ok;
    }

    [GeneratedRegex(@"^1[3-9]\d{9}$")]
    private static partial Regex Pattern();
}

/// <summary><c>iso-date</c>: a calendar date written yyyy-MM-dd.</summary>
public sealed class IsoDateFormat() : Format("iso-date")
{
    public override bool Validate(JsonElement value, out string? errorMessage)
    {
        var ok = value.ValueKind != JsonValueKind.String
            || DateOnly.TryParseExact(value.GetString(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _);
        errorMessage = ok ? null : "Not a date written yyyy-MM-dd.";
        return ok;
    }
}

/// <summary><c>cny-amount</c>: an amount in yuan, not negative, at most two decimals (fen).</summary>
public sealed class CnyAmountFormat() : Format("cny-amount")
{
    public override bool Validate(JsonElement value, out string? errorMessage)
    {
        var ok = value.ValueKind != JsonValueKind.Number
            || (value.TryGetDecimal(out var amount) && amount >= 0 && decimal.Round(amount, 2) == amount && amount <= 100_000_000_000m);
        errorMessage = ok ? null : "Not an amount in yuan (not negative, at most two decimals).";
        return ok;
    }
}
