using System.Collections.Concurrent;
using System.Text;
using PdfSharp.Drawing;
using PdfSharp.Events;
using PdfSharp.Pdf;
using VirtualBranch.Host.Configuration;

namespace VirtualBranch.Host.ESign;

/// <summary>
/// The TrueType fonts contracts are drawn with and embed, first choice first, bound from <c>ESign:Fonts</c> (file paths,
/// <c>__0</c>, <c>__1</c>, ... or comma-separated). Each character takes the first font with a glyph for it: Latin,
/// digits and punctuation from the first default, Chinese from the second, rare characters beyond the BMP (as in some
/// names) from the third. A character none of them has is drawn as U+FFFD (�), visibly, so the reader sees that the
/// PDF could not show it; the text itself stays in the case's events.
/// </summary>
public sealed class ContractFonts
{
    public const string Key = "ESign:Fonts";
    public const int Replacement = 0xFFFD;

    // The default files, first choice first, and the Debian package each comes from (./run.sh and ./test.sh install them).
    private static readonly (string File, string Package)[] Defaults =
    [
        ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "fonts-dejavu-core"),
        ("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf", "fonts-droid-fallback"),
        ("/usr/share/fonts/truetype/hanazono/HanaMinB.ttf", "fonts-hanazono"),
    ];

    private readonly ConcurrentDictionary<int, Glyph> _glyphs = new();
    private readonly ConcurrentDictionary<(int Font, double Size), XFont> _fonts = new();

    public ContractFonts(IEnumerable<string> files) => Files = [.. files.Select(Path.GetFullPath)];

    public IReadOnlyList<string> Files { get; }

    /// <summary>The configured fonts, or the defaults when <c>ESign:Fonts</c> is not set.</summary>
    public static ContractFonts Read(IConfiguration configuration) =>
        new(ConfigurationList.Read(configuration, Key) is { Count: > 0 } files ? files : Defaults.Select(d => d.File));

    /// <summary>The default fonts, for callers without configuration.</summary>
    public static ContractFonts Default { get; } = new(Defaults.Select(d => d.File));

    /// <summary>One sentence per font that cannot be used, naming the key; empty when all can.</summary>
    public IReadOnlyList<string> Problems() => [.. Files.Select(Problem).OfType<string>()];

    /// <summary>Throws a <see cref="ConfigurationProblemException"/> naming every font that cannot be used.</summary>
    public void EnsureUsable()
    {
        if (Problems() is { Count: > 0 } problems)
        {
            throw new ConfigurationProblemException(string.Join(" ", problems));
        }
    }

    /// <summary>The font (index into <see cref="Files"/>), code point and glyph a character is drawn with.</summary>
    internal Glyph For(int codePoint) => _glyphs.GetOrAdd(codePoint, Find);

    internal XFont Font(int font, double size) => _fonts.GetOrAdd((font, size), key =>
    {
        FontFileResolver.Register();
        return new XFont(Files[key.Font], key.Size, XFontStyleEx.Regular, new XPdfFontOptions(PdfFontEncoding.Unicode));
    });

    private Glyph Find(int codePoint)
    {
        for (var font = 0; font < Files.Count; font++)
        {
            if (GlyphIn(font, codePoint) is var glyph and not 0)
            {
                return new Glyph(font, codePoint, glyph);
            }
        }
        return codePoint != Replacement ? For(Replacement)
            : throw new ConfigurationProblemException($"{Key}: none of the fonts has U+FFFD (�), which stands for characters none of them has.");
    }

    // The glyph PDFsharp itself maps the code point to (0: none), so choosing a font never disagrees with drawing in it.
    private ushort GlyphIn(int font, int codePoint)
    {
        ushort glyph = 0;
        var events = new RenderEvents();
        events.RenderTextEvent += (_, e) => glyph = e.CodePointGlyphIndexPairs is [var pair] ? pair.GlyphIndex : (ushort)0;
        using var measure = XGraphics.CreateMeasureContext(new XSize(1, 1), XGraphicsUnit.Point, XPageDirection.Downwards, events);
        measure.MeasureString(char.ConvertFromUtf32(codePoint), Font(font, 12));
        return glyph;
    }

    private static string? Problem(string file)
    {
        var package = Defaults.FirstOrDefault(d => d.File == file).Package is { } p ? $" (Debian's {p}; ./run.sh installs it)" : "";
        if (!File.Exists(file))
        {
            return $"{Key}: the font file {file}{package} is missing.";
        }
        var head = new byte[4];
        using (var stream = File.OpenRead(file))
        {
            stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        }
        return Encoding.ASCII.GetString(head) switch
        {
            "\0\u0001\0\0" or "true" => null,
            "OTTO" => $"{Key}: {file} has CFF (PostScript) outlines, which PDFsharp 6.2 cannot embed; name a TrueType (glyf) font.",
            "ttcf" => $"{Key}: {file} is a font collection (.ttc), which PDFsharp 6.2 cannot read; name a single TrueType font.",
            _ => $"{Key}: {file} is not a TrueType font.",
        };
    }
}

/// <summary>How one character is drawn: with which font, as which code point (U+FFFD when no font has it) and glyph.</summary>
internal readonly record struct Glyph(int Font, int CodePoint, ushort Id);
