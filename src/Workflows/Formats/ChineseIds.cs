using System.Globalization;

namespace VirtualBranch.Workflows.Formats;

/// <summary>Check digits of Chinese identifiers: the resident identity number (GB 11643) and the unified social credit code (GB 32100).</summary>
public static class ChineseIds
{
    private static readonly int[] ResidentWeights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    private const string ResidentCheck = "10X98765432";
    private const string CreditAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    private static readonly int[] CreditWeights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

    /// <summary>Null when <paramref name="id"/> is a valid 18-character resident id; otherwise why not.</summary>
    public static string? ResidentIdProblem(string id)
    {
        if (id.Length != 18 || !id[..17].All(char.IsAsciiDigit) || !(char.IsAsciiDigit(id[17]) || id[17] == 'X'))
        {
            return "a resident id number has 17 digits and a check character (a digit or X)";
        }
        if (!DateOnly.TryParseExact(id.Substring(6, 8), "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var birth) || birth.Year < 1900)
        {
            return $"the birth date {id.Substring(6, 8)} in the id number is not a real date";
        }
        var sum = 0;
        for (var i = 0; i < 17; i++)
        {
            sum += (id[i] - '0') * ResidentWeights[i];
        }
        var expected = ResidentCheck[sum % 11];
        return id[17] == expected ? null : $"the check character should be {expected} (GB 11643), not {id[17]}";
    }

    /// <summary>Null when <paramref name="code"/> is a valid unified social credit code; otherwise why not.</summary>
    public static string? CreditCodeProblem(string code)
    {
        if (code.Length != 18 || code.Any(c => !CreditAlphabet.Contains(c)))
        {
            return "a unified social credit code has 18 characters from 0-9 and A-Y without I, O, S, V and Z";
        }
        var sum = 0;
        for (var i = 0; i < 17; i++)
        {
            sum += CreditAlphabet.IndexOf(code[i]) * CreditWeights[i];
        }
        var expected = CreditAlphabet[(31 - sum % 31) % 31];
        return code[17] == expected ? null : $"the check character should be {expected} (GB 32100), not {code[17]}";
    }

    /// <summary>The check character a resident id's first 17 digits call for (for test data).</summary>
    public static char ResidentCheckFor(string first17) => ResidentCheck[first17.Select((c, i) => (c - '0') * ResidentWeights[i]).Sum() % 11];

    /// <summary>The check character a credit code's first 17 characters call for (for test data).</summary>
    public static char CreditCheckFor(string first17) => CreditAlphabet[(31 - first17.Select((c, i) => CreditAlphabet.IndexOf(c) * CreditWeights[i]).Sum() % 31) % 31];
}
