using System.Globalization;
using System.Text;
using PdfSharp.Pdf;

namespace VirtualBranch.Host.ESign;

/// <summary>
/// The ToUnicode map of each embedded font, which readers use to copy, search and extract the text. PDFsharp 6.2.4
/// writes a character beyond the BMP as its bare code point (<c>&lt;20BB7&gt;</c>) where a map needs UTF-16
/// (<c>&lt;D842DFB7&gt;</c>), so such a character read back as garbage; these maps replace PDFsharp's, built from the
/// same glyphs (<see cref="ContractFonts.For"/> asks PDFsharp which glyph it draws).
/// </summary>
internal sealed class UnicodeMaps(ContractFonts fonts)
{
    private readonly Dictionary<int, SortedDictionary<ushort, int>> _glyphs = [];
    private readonly Dictionary<int, PdfDictionary> _fontDictionaries = [];

    /// <summary>Notes a run just drawn on the page; the first run in a font is when PDFsharp adds that font to the page.</summary>
    public void Drawn(Run run, PdfPage page)
    {
        if (!_glyphs.TryGetValue(run.Font, out var glyphs))
        {
            _glyphs[run.Font] = glyphs = [];
            var onPage = page.Resources.Elements.GetDictionary("/Font")
                ?? throw new InvalidOperationException("PDFsharp drew text without a font resource on the page.");
            _fontDictionaries[run.Font] = onPage.Elements.Keys.Select(onPage.Elements.GetDictionary).OfType<PdfDictionary>()
                .Single(font => font.Elements.GetName("/Subtype") == "/Type0" && !_fontDictionaries.ContainsValue(font));
        }
        foreach (var rune in run.Text.EnumerateRunes())
        {
            glyphs[fonts.For(rune.Value).Id] = rune.Value;
        }
    }

    public void WriteInto(PdfDocument document)
    {
        foreach (var (font, glyphs) in _glyphs)
        {
            var map = new PdfDictionary(document);
            map.CreateStream(Encoding.ASCII.GetBytes(CMap(glyphs)));
            document.Internals.AddObject(map);
            _fontDictionaries[font].Elements.SetReference("/ToUnicode", map);
        }
    }

    private static string CMap(SortedDictionary<ushort, int> glyphs)
    {
        var map = new StringBuilder("""
            /CIDInit /ProcSet findresource begin
            12 dict begin
            begincmap
            /CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def
            /CMapName /Adobe-Identity-UCS def
            /CMapType 2 def
            1 begincodespacerange
            <0000> <FFFF>
            endcodespacerange

            """);
        foreach (var chunk in glyphs.Chunk(100)) // a bfchar section holds at most 100 entries
        {
            map.Append(CultureInfo.InvariantCulture, $"{chunk.Length} beginbfchar\n");
            foreach (var (glyph, codePoint) in chunk)
            {
                var utf16 = string.Concat(char.ConvertFromUtf32(codePoint).Select(c => ((int)c).ToString("X4", CultureInfo.InvariantCulture)));
                map.Append(CultureInfo.InvariantCulture, $"<{glyph:X4}> <{utf16}>\n");
            }
            map.Append("endbfchar\n");
        }
        return map.Append("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n").ToString();
    }
}
