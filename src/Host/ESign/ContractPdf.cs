using System.Security.Cryptography;
using System.Text;
using PdfSharp.Drawing;
using PdfSharp.Pdf;

namespace VirtualBranch.Host.ESign;

/// <summary>
/// A contract as an A4 PDF drawn with PDFsharp: the title, then the text, in lines wrapped by their measured width and
/// pages that follow as the text needs; the fonts (<see cref="ContractFonts"/>) are embedded as subsets. The same title
/// and text always give the same bytes (<see cref="PinnedPdf"/>). The PDF is made once, when the contract is signed, and
/// kept as evidence under its hash; nothing renders it again to compare, so old contracts stay as they were written.
/// </summary>
public sealed class ContractPdf(ContractFonts fonts)
{
    public const double PageWidth = 595, PageHeight = 842, Margin = 50, TitleSize = 16, TextSize = 12;
    public const double TextWidth = PageWidth - 2 * Margin;
    private const double Leading = 1.5;

    public byte[] Render(string title, string text)
    {
        fonts.EnsureUsable();
        using var measure = XGraphics.CreateMeasureContext(new XSize(PageWidth, PageHeight), XGraphicsUnit.Point, XPageDirection.Downwards);
        var layout = new ContractLayout(fonts, measure);
        var lines = layout.Lines(title, TitleSize, TextWidth)
            .Append(new Line([], TextSize))
            .Concat(layout.Lines(text, TextSize, TextWidth));
        var document = new PdfDocument();
        document.Info.Title = title; // what a reader's viewer shows in its title bar and document properties
        var unicode = new UnicodeMaps(fonts);
        foreach (var onPage in Pages(lines))
        {
            var page = document.AddPage();
            page.Width = XUnit.FromPoint(PageWidth);
            page.Height = XUnit.FromPoint(PageHeight);
            using var gfx = XGraphics.FromPdfPage(page);
            var top = Margin;
            foreach (var line in onPage)
            {
                var x = Margin;
                foreach (var run in line.Runs)
                {
                    gfx.DrawString(run.Text, fonts.Font(run.Font, line.Size), XBrushes.Black, x, top + line.Size); // y is the baseline
                    unicode.Drawn(run, page);
                    x += run.Width;
                }
                top += line.Size * Leading;
            }
        }
        unicode.WriteInto(document);
        return PinnedPdf.Save(document, Fingerprint(title, text));
    }

    // What the bytes depend on: the title, the text and which fonts drew them.
    private byte[] Fingerprint(string title, string text) =>
        SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\0', [title, text, .. fonts.Files.Select(Path.GetFileName)])));

    private static IEnumerable<List<Line>> Pages(IEnumerable<Line> lines)
    {
        var page = new List<Line>();
        var used = 0.0;
        foreach (var line in lines)
        {
            if (used + line.Size * Leading > PageHeight - 2 * Margin && page.Count > 0)
            {
                yield return page;
                (page, used) = ([], 0);
            }
            page.Add(line);
            used += line.Size * Leading;
        }
        yield return page;
    }
}
