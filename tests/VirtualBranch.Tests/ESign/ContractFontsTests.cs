using Microsoft.Extensions.Configuration;
using Shouldly;
using VirtualBranch.Host.Configuration;
using VirtualBranch.Host.ESign;

namespace VirtualBranch.Tests.ESign;

/// <summary>A contract font that cannot be used is named, with its key, before a contract is drawn with it.</summary>
public sealed class ContractFontsTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("vb-fonts-");

    [Fact]
    public void the_default_fonts_are_installed_by_the_scripts()
    {
        ContractFonts.Default.Problems().ShouldBeEmpty();
    }

    [Theory]
    [InlineData("ttcf", "is a font collection (.ttc), which PDFsharp 6.2 cannot read; name a single TrueType font.")]
    [InlineData("OTTO", "has CFF (PostScript) outlines, which PDFsharp 6.2 cannot embed; name a TrueType (glyf) font.")]
    [InlineData("%PDF", "is not a TrueType font.")]
    public void a_file_pdfsharp_cannot_embed_is_refused_with_the_reason(string head, string reason)
    {
        var file = Path.Combine(_folder.FullName, "font.bin");
        File.WriteAllText(file, head + "0000");

        new ContractFonts([file]).Problems().ShouldHaveSingleItem().ShouldBe($"ESign:Fonts: {file} {reason}");
    }

    [Fact]
    public void a_missing_font_stops_the_first_render_with_one_sentence_naming_the_key()
    {
        var missing = Path.Combine(_folder.FullName, "nowhere.ttf");
        var fonts = new ContractFonts([.. ContractFonts.Default.Files, missing]);

        Should.Throw<ConfigurationProblemException>(() => new ContractPdf(fonts).Render("合同", "借款人"))
            .Message.ShouldBe($"ESign:Fonts: the font file {missing} is missing.");
    }

    [Fact]
    public void configuration_names_the_fonts_in_order_and_falls_back_to_the_defaults()
    {
        var configured = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["ESign:Fonts"] = "/fonts/a.ttf, /fonts/b.ttf" }).Build();

        ContractFonts.Read(configured).Files.ShouldBe(["/fonts/a.ttf", "/fonts/b.ttf"]);
        ContractFonts.Read(new ConfigurationBuilder().Build()).Files.ShouldBe(ContractFonts.Default.Files);
    }

    public void Dispose() => _folder.Delete(recursive: true);
}
