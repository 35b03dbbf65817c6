using System.Globalization;
using System.Text;

namespace VirtualBranch.Host.ESign;

/// <summary>
/// A plain A4 PDF of a contract's text, with no library: Adobe's standard Chinese font STSong-Light (UniGB-UCS2-H),
/// which PDF readers supply themselves, so Chinese and Latin text both show without embedding a font.
/// The same text always gives the same bytes.
/// </summary>
public static class ContractPdf
{
    private const int LinesPerPage = 46;
    private const double LineWidth = 40; // in full-width characters at 12 pt across the text block

    public static byte[] Render(string title, string text)
    {
        var lines = new List<(string Text, int Size)> { (title, 16), ("", 12) };
        lines.AddRange(text.Replace("\r\n", "\n").Split('\n').SelectMany(Wrap).Select(l => (l, 12)));
        var pages = lines.Chunk(LinesPerPage).ToList();
        var objects = new List<string>
        {
            "<< /Type /Catalog /Pages 2 0 R >>",
            $"<< /Type /Pages /Kids [{string.Join(' ', pages.Select((_, i) => $"{6 + i * 2} 0 R"))}] /Count {pages.Count} >>",
            "<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H /DescendantFonts [4 0 R] >>",
            "<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light /CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 4 >> /FontDescriptor 5 0 R /DW 1000 /W [1 95 500] >>",
            "<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 /FontBBox [-25 -254 1000 880] /ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 /StemV 93 >>",
        };
        foreach (var page in pages)
        {
            var content = new StringBuilder("BT\n50 792 Td\n");
            foreach (var (line, size) in page)
            {
                content.Append(CultureInfo.InvariantCulture, $"/F1 {size} Tf\n<{Hex(line)}> Tj\n0 -{size + 5} Td\n");
            }
            content.Append("ET\n");
            var number = objects.Count + 1;
            objects.Add($"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> /Contents {number + 1} 0 R >>");
            objects.Add($"<< /Length {Encoding.ASCII.GetByteCount(content.ToString())} >>\nstream\n{content}endstream");
        }
        var pdf = new StringBuilder("%PDF-1.7\n");
        var offsets = new List<int>();
        for (var i = 0; i < objects.Count; i++)
        {
            offsets.Add(Encoding.ASCII.GetByteCount(pdf.ToString()));
            pdf.Append(CultureInfo.InvariantCulture, $"{i + 1} 0 obj\n{objects[i]}\nendobj\n");
        }
        var xref = Encoding.ASCII.GetByteCount(pdf.ToString());
        pdf.Append(CultureInfo.InvariantCulture, $"xref\n0 {objects.Count + 1}\n0000000000 65535 f \n");
        foreach (var offset in offsets)
        {
            pdf.Append(CultureInfo.InvariantCulture, $"{offset:D10} 00000 n \n");
        }
        pdf.Append(CultureInfo.InvariantCulture, $"trailer\n<< /Size {objects.Count + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n");
        return Encoding.ASCII.GetBytes(pdf.ToString());
    }

    // UCS-2 big-endian, as the UniGB-UCS2-H encoding expects; characters beyond the BMP become '?'.
    private static string Hex(string line) =>
        string.Concat(line.Select(c => char.IsSurrogate(c) ? "003F" : ((int)c).ToString("X4", CultureInfo.InvariantCulture)));

    private static IEnumerable<string> Wrap(string paragraph)
    {
        if (paragraph.Length == 0)
        {
            yield return "";
            yield break;
        }
        var line = new StringBuilder();
        var width = 0.0;
        foreach (var c in paragraph)
        {
            var w = c < 128 ? 0.5 : 1.0;
            if (width + w > LineWidth)
            {
                yield return line.ToString();
                line.Clear();
                width = 0;
            }
            line.Append(c);
            width += w;
        }
        yield return line.ToString();
    }
}
