using System.Text;
using PdfSharp.Drawing;

namespace VirtualBranch.Host.ESign;

/// <summary>Text in one font, as wide as its glyphs' advances add up to (PDFsharp draws without kerning).</summary>
internal sealed record Run(int Font, string Text, double Width);

/// <summary>One line of a contract: its runs, left to right, at one size.</summary>
internal sealed record Line(IReadOnlyList<Run> Runs, double Size);

/// <summary>
/// Breaks a contract's text into lines no wider than the text block, measured in the fonts each character is drawn with.
/// Latin words break at spaces (a word longer than a line breaks anywhere); Chinese breaks between any two characters,
/// except before closing punctuation, which stays with the character before it.
/// </summary>
internal sealed class ContractLayout(ContractFonts fonts, XGraphics measure)
{
    private const string Closing = "，。、；：！？）》」』】〕〉”’…,.;:!?)]}%";

    public IEnumerable<Line> Lines(string text, double size, double width) =>
        text.Replace("\r\n", "\n").Replace('\r', '\n').Split('\n').SelectMany(paragraph => Paragraph(paragraph, size, width));

    private IEnumerable<Line> Paragraph(string paragraph, double size, double width)
    {
        var line = new List<Run>();
        var used = 0.0;
        foreach (var unit in Units(paragraph))
        {
            var runs = Runs(unit, size);
            var visible = runs.Sum(r => r.Width) - Runs(Trailing(unit), size).Sum(r => r.Width);
            if (used + visible > width && line.Count > 0)
            {
                yield return Joined(line, size);
                (line, used) = ([], 0);
            }
            if (visible <= width)
            {
                line.AddRange(runs);
                used += runs.Sum(r => r.Width);
                continue;
            }
            // A word wider than the whole line: break it wherever the line is full.
            foreach (var rune in unit.EnumerateRunes())
            {
                var piece = Runs(rune.ToString(), size);
                if (used + piece.Sum(r => r.Width) > width && line.Count > 0)
                {
                    yield return Joined(line, size);
                    (line, used) = ([], 0);
                }
                line.AddRange(piece);
                used += piece.Sum(r => r.Width);
            }
        }
        yield return Joined(line, size);
    }

    /// <summary>The text as drawn: one run per stretch of characters that take the same font.</summary>
    private List<Run> Runs(string text, double size)
    {
        var runs = new List<Run>();
        var drawn = new StringBuilder();
        var current = -1;
        foreach (var rune in text.EnumerateRunes())
        {
            var glyph = fonts.For(rune.Value);
            if (glyph.Font != current && drawn.Length > 0)
            {
                runs.Add(Measured(current, drawn.ToString(), size));
                drawn.Clear();
            }
            current = glyph.Font;
            drawn.Append(char.ConvertFromUtf32(glyph.CodePoint));
        }
        if (drawn.Length > 0)
        {
            runs.Add(Measured(current, drawn.ToString(), size));
        }
        return runs;
    }

    private Run Measured(int font, string text, double size) => new(font, text, measure.MeasureString(text, fonts.Font(font, size)).Width);

    private static Line Joined(List<Run> runs, double size) =>
        new(runs.Aggregate(new List<Run>(), (joined, run) =>
        {
            if (joined.Count > 0 && joined[^1].Font == run.Font)
            {
                joined[^1] = new Run(run.Font, joined[^1].Text + run.Text, joined[^1].Width + run.Width);
            }
            else
            {
                joined.Add(run);
            }
            return joined;
        }), size);

    // Break units: a word with the spaces after it, or one wide (CJK) character; closing punctuation joins the unit before.
    private static IEnumerable<string> Units(string paragraph)
    {
        var unit = new StringBuilder();
        var closed = false;
        foreach (var rune in paragraph.Replace("\t", "    ").EnumerateRunes().Where(r => !Rune.IsControl(r)))
        {
            var glued = Closing.Contains(rune.ToString(), StringComparison.Ordinal) && unit.Length > 0 && !Rune.IsWhiteSpace(Last(unit));
            if (Rune.IsWhiteSpace(rune))
            {
                closed = true;
            }
            else if (!glued && (closed || IsWide(rune) || (unit.Length > 0 && IsWide(Last(unit)))))
            {
                yield return unit.ToString();
                unit.Clear();
                closed = false;
            }
            unit.Append(rune.ToString());
        }
        if (unit.Length > 0)
        {
            yield return unit.ToString();
        }
    }

    private static string Trailing(string unit) => unit[unit.TrimEnd().Length..];

    private static Rune Last(StringBuilder unit) =>
        Rune.GetRuneAt(unit.ToString(), unit.Length >= 2 && char.IsLowSurrogate(unit[^1]) ? unit.Length - 2 : unit.Length - 1);

    // East Asian wide characters, which a line may break between: Hangul, CJK (with its punctuation and symbols), full-width forms.
    private static bool IsWide(Rune rune) => rune.Value is >= 0x1100 and <= 0x115F or >= 0x2E80 and <= 0xA4CF or >= 0xAC00 and <= 0xD7A3
        or >= 0xF900 and <= 0xFAFF or >= 0xFE30 and <= 0xFE4F or >= 0xFF00 and <= 0xFF60 or >= 0xFFE0 and <= 0xFFE6 or >= 0x20000 and <= 0x3FFFD;
}
