using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;
using VirtualBranch.Host.Cli;
using VirtualBranch.Host.Configuration;
using VirtualBranch.Tests.Support;

namespace VirtualBranch.Tests.Docs;

/// <summary>
/// What the README and every page of <c>docs/</c> name exists: each route written as <c>METHOD /path</c> is served by
/// the Host with that method, each page path is a page, each command-line verb is a verb, each link to another page
/// reaches a file. A page that drifts from the code fails here instead of misleading its reader.
/// </summary>
public sealed partial class DocsTests(HostFixture host) : IClassFixture<HostFixture>
{
    private static readonly string Root = EngineOptionsSetup.FindRepositoryRoot(AppContext.BaseDirectory);

    public static TheoryData<string> Pages()
    {
        var pages = new TheoryData<string> { "README.md" };
        foreach (var file in Directory.GetFiles(Path.Combine(Root, "docs"), "*.md").Order(StringComparer.Ordinal))
        {
            pages.Add(Path.GetRelativePath(Root, file));
        }
        return pages;
    }

    [Theory]
    [MemberData(nameof(Pages))]
    public void every_route_a_page_names_is_served_with_its_method(string page)
    {
        var served = host.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? ["*"])
                .Select(method => $"{method} {Shape(e.RoutePattern.RawText ?? "")}"))
            .ToHashSet(StringComparer.Ordinal);
        var named = RouteInText().Matches(Read(page)).Select(m => $"{m.Groups["method"].Value} {Shape(m.Groups["path"].Value)}").Distinct().ToList();

        named.Where(route => !served.Contains(route) && !served.Contains($"* {route[(route.IndexOf(' ') + 1)..]}"))
            .ShouldBeEmpty($"{page} names routes the Host does not serve");
    }

    [Theory]
    [MemberData(nameof(Pages))]
    public void every_verb_and_page_path_a_page_names_exists(string page)
    {
        var text = Read(page);
        var verbs = CliVerbs.Verbs.ToHashSet(StringComparer.Ordinal);
        var named = VerbInText().Matches(text).Select(m => m.Groups["verb"].Value);
        if (page == Path.Combine("docs", "cli.md"))
        {
            named = named.Concat(VerbInTable().Matches(text).Select(m => m.Groups["verb"].Value)); // the verb table's first column
        }
        named.Where(v => !verbs.Contains(v))
            .ShouldBeEmpty($"{page} names command-line verbs the Host does not have");
        var wwwroot = Path.Combine(Root, "src", "Host", "wwwroot");
        PagePathInText().Matches(text).Select(m => m.Groups["page"].Value).Distinct()
            .Where(p => !NotPages.Contains(p) && !File.Exists(Path.Combine(wwwroot, p, "index.html")))
            .ShouldBeEmpty($"{page} names pages the Host does not serve");
    }

    [Theory]
    [MemberData(nameof(Pages))]
    public void every_link_to_another_file_reaches_one(string page)
    {
        var folder = Path.GetDirectoryName(Path.Combine(Root, page))!;
        LinkInText().Matches(Read(page)).Select(m => m.Groups["target"].Value)
            .Where(target => !target.Contains("://", StringComparison.Ordinal))
            .Where(target => !File.Exists(Path.Combine(folder, target)) && !Directory.Exists(Path.Combine(folder, target)))
            .ShouldBeEmpty($"{page} links to files that are not there");
    }

    [Fact]
    public void the_readme_stays_short_enough_to_read() =>
        new FileInfo(Path.Combine(Root, "README.md")).Length.ShouldBeLessThan(12 * 1024, "the README says what it is and links to docs/; the rest belongs there");

    private static readonly HashSet<string> NotPages = new(["api", "openapi", "hangfire", "health", "docs"], StringComparer.Ordinal);

    private static string Read(string page) => File.ReadAllText(Path.Combine(Root, page));

    // {id}, {id:guid}, {recordingId} and {*rest} all stand for "one value here"; a query string is not part of the route.
    private static string Shape(string route) =>
        "/" + string.Join('/', route.Split('?')[0].Trim('/').Split('/').Select(s => s.StartsWith('{') ? "{}" : s));

    [GeneratedRegex(@"`(?<method>GET|POST|PUT|PATCH|DELETE) (?<path>/[^`\s]+)")]
    private static partial Regex RouteInText();

    [GeneratedRegex(@"VirtualBranch\.Host\.dll (?<verb>[a-z][a-z-]+)")]
    private static partial Regex VerbInText();

    [GeneratedRegex(@"^\| `(?<verb>[a-z][a-z-]+)[ `]", RegexOptions.Multiline)]
    private static partial Regex VerbInTable();

    [GeneratedRegex(@"`/(?<page>[a-z]+)/(\?[^`]*)?`")]
    private static partial Regex PagePathInText();

    [GeneratedRegex(@"\]\((?<target>[^)#\s]+)(#[^)]*)?\)")]
    private static partial Regex LinkInText();
}
