using System.Text;
using Shouldly;
using UglyToad.PdfPig;
using UglyToad.PdfPig.Parser.Parts;
using UglyToad.PdfPig.Tokenization.Scanner;
using UglyToad.PdfPig.Tokens;
using VirtualBranch.Host.ESign;

namespace VirtualBranch.Tests.ESign;

/// <summary>
/// The signed contract as a reader sees it, read back with PdfPig: the text as written (Chinese, Latin, digits and a
/// character beyond the BMP), the fonts embedded as subsets, lines wrapped by measured width inside the text block,
/// pages added as the text needs, and the same bytes for the same text.
/// </summary>
public sealed class ContractPdfTests
{
    private const double Right = ContractPdf.Margin + ContractPdf.TextWidth;
    private const string Clause = "借款人应当按照本合同约定的期限和方式按时足额归还借款本金及利息。";

    // 𠮷 (U+20BB7) is a rare character of real surnames; only the third default font has it.
    private static readonly string[] Written = ["借款人：张𠮷", "Loan No. LFS-2026-000417, amount 120,000.00 元 (RMB)", "年利率 3.65%，期限 36 个月。"];

    private readonly ContractPdf _contracts = new(ContractFonts.Default);

    [Fact]
    public void chinese_latin_digits_and_a_character_beyond_the_bmp_read_back_as_written()
    {
        var pdf = _contracts.Render("个人贷款合同", string.Join('\n', Written));

        Lines(pdf).ShouldBe(["个人贷款合同", .. Written]);
    }

    [Fact]
    public void a_character_no_font_has_shows_as_the_replacement_character_not_a_question_mark()
    {
        var pdf = _contracts.Render("合同", "私用区字符 \uE000 结束");

        Lines(pdf).ShouldBe(["合同", "私用区字符 \uFFFD 结束"]);
    }

    [Fact]
    public void every_font_is_embedded_as_a_subset()
    {
        using var document = PdfDocument.Open(_contracts.Render("个人贷款合同", string.Join('\n', Written)));
        document.Information.Title.ShouldBe("个人贷款合同", "the contract's title is the document's title in a viewer");
        var scanner = document.Structure.TokenScanner;
        var resources = Get<DictionaryToken>(document.GetPage(1).Dictionary.Data["Resources"], scanner);
        var fonts = Get<DictionaryToken>(resources.Data["Font"], scanner).Data.Values
            .Select(font => Get<DictionaryToken>(font, scanner)).ToList();
        var smallestFile = ContractFonts.Default.Files.Min(file => new FileInfo(file).Length);

        fonts.Count.ShouldBe(3, "Latin, Chinese and the rare character each come from their own font");
        foreach (var font in fonts)
        {
            var name = ((NameToken)font.Data["BaseFont"]).Data;
            name.ShouldMatch("^[A-Z]{6}\\+", "a subset's name is tagged");
            var cid = Get<DictionaryToken>(Get<ArrayToken>(font.Data["DescendantFonts"], scanner).Data[0], scanner);
            var descriptor = Get<DictionaryToken>(cid.Data["FontDescriptor"], scanner);
            descriptor.Data.Keys.ShouldContain("FontFile2", $"{name}'s glyphs are embedded");
            var program = Get<StreamToken>(descriptor.Data["FontFile2"], scanner);
            ((NumericToken)program.StreamDictionary.Data["Length1"]).Long.ShouldBeLessThan(smallestFile, $"{name} is embedded whole");
        }
    }

    [Fact]
    public void chinese_lines_fill_the_text_block_and_stay_inside_it()
    {
        var lines = Letters(_contracts.Render("合同", string.Concat(Enumerable.Repeat(Clause, 8))))[1..];

        lines.Count.ShouldBeGreaterThan(4);
        foreach (var line in lines.SkipLast(1))
        {
            // Full but for a gap narrower than the next break unit: a character, or one with its closing punctuation.
            line.Max(l => l.EndBaseLine.X).ShouldBeInRange(Right - 24, Right + 0.01);
        }
        lines.SelectMany(l => l).ShouldAllBe(l => l.StartBaseLine.X >= ContractPdf.Margin - 0.01);
    }

    [Fact]
    public void latin_lines_break_at_spaces_by_measured_width_not_by_a_count_of_characters()
    {
        var narrow = Letters(_contracts.Render("T", string.Join(' ', Enumerable.Repeat("illicit", 120))))[1..];
        var wide = Letters(_contracts.Render("T", string.Join(' ', Enumerable.Repeat("MAXIMUM", 120))))[1..];

        foreach (var line in narrow.Concat(wide))
        {
            var text = string.Concat(line.Select(l => l.Value)).Trim();
            text.Split(' ').ShouldAllBe(word => word == "illicit" || word == "MAXIMUM", "no word is split");
            line.Where(l => l.Value != " ").Max(l => l.EndBaseLine.X).ShouldBeLessThanOrEqualTo(Right + 0.01);
        }
        narrow[0].Count.ShouldBeGreaterThan(wide[0].Count * 3 / 2, "a line of narrow letters holds more of them");
        wide.SkipLast(1).ShouldAllBe(line => line.Where(l => l.Value != " ").Max(l => l.EndBaseLine.X) > Right - 80,
            "a line is full: the next word (under 80 pt) would not have fit");
    }

    [Fact]
    public void long_text_runs_onto_more_pages_in_order_inside_the_margins()
    {
        var clauses = Enumerable.Range(1, 120).Select(i => $"第{i}条 {Clause}").ToList();

        var pdf = _contracts.Render("个人贷款合同", string.Join('\n', clauses));

        using var document = PdfDocument.Open(pdf);
        document.NumberOfPages.ShouldBeGreaterThan(2);
        document.GetPages().SelectMany(p => p.Letters).ShouldAllBe(l => l.BoundingBox.Bottom >= ContractPdf.Margin && l.BoundingBox.Top <= ContractPdf.PageHeight - ContractPdf.Margin);
        Lines(pdf).ShouldBe(["个人贷款合同", .. clauses]);
    }

    [Fact]
    public void the_same_title_and_text_give_the_same_bytes()
    {
        var first = _contracts.Render("个人贷款合同", string.Join('\n', Written));
        var again = new ContractPdf(new ContractFonts(ContractFonts.Default.Files)).Render("个人贷款合同", string.Join('\n', Written));
        var other = _contracts.Render("个人贷款合同", string.Join('\n', Written) + "。");

        again.ShouldBe(first);
        other.ShouldNotBe(first);
        using var document = PdfDocument.Open(first);
        document.Information.CreationDate.ShouldBe("D:20000101000000+00'00'");
    }

    private static T Get<T>(IToken token, IPdfTokenScanner scanner) where T : class, IToken =>
        DirectObjectFinder.Get<T>(token, scanner).ShouldNotBeNull();

    // The letters of every page, line by line from the top (blank lines have none).
    private static List<List<UglyToad.PdfPig.Content.Letter>> Letters(byte[] pdf)
    {
        using var document = PdfDocument.Open(pdf);
        return [.. document.GetPages().SelectMany(page => page.Letters
            .GroupBy(l => Math.Round(l.StartBaseLine.Y, 1)).OrderByDescending(g => g.Key).Select(g => g.OrderBy(l => l.StartBaseLine.X).ToList()))];
    }

    private static List<string> Lines(byte[] pdf) =>
        [.. Letters(pdf).Select(line => line.Aggregate(new StringBuilder(), (text, l) => text.Append(l.Value)).ToString())];
}
