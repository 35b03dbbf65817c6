using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Shouldly;

namespace VirtualBranch.Tests.ApiContract;

/// <summary>
/// The rules of Redocly's <c>recommended</c> set that a generated client depends on, checked in .NET on the committed
/// contract (CI has no node): who may call, what a refusal looks like, stable names. Each failure names the operations.
/// </summary>
public sealed partial class ContractLintTests
{
    private readonly Contract _contract = Contract.Committed();

    [Fact]
    public void every_operation_says_how_to_sign_in_with_declared_schemes()
    {
        var declared = _contract.Root["components"]?["securitySchemes"]?.AsObject().Select(s => s.Key).ToHashSet() ?? [];
        var global = _contract.Root["security"]?.AsArray();
        _contract.Operations.Where(op => (op.Node["security"]?.AsArray() ?? global) is not { } security
                || security.Any(requirement => requirement!.AsObject().Any(scheme => !declared.Contains(scheme.Key))))
            .Select(op => op.ToString()).ShouldBeEmpty("operations without security, or naming a scheme not in components.securitySchemes");
    }

    [Fact]
    public void every_operation_documents_a_problem_response() =>
        _contract.Operations.Where(op => !op.Node["responses"]!.AsObject().Any(r => r.Key.StartsWith('4')))
            .Select(op => op.ToString()).ShouldBeEmpty("operations without a 4xx response");

    [Fact]
    public void every_problem_response_is_problem_json() =>
        _contract.Operations.SelectMany(op => op.Node["responses"]!.AsObject().Where(r => r.Key.StartsWith('4'))
                .Where(r => r.Value?["content"]?["application/problem+json"]?["schema"]?["$ref"]?.GetValue<string>() != "#/components/schemas/ProblemDetails")
                .Select(r => $"{op} {r.Key}"))
            .ShouldBeEmpty("4xx responses whose body is not application/problem+json with the ProblemDetails schema");

    [Fact]
    public void every_operation_has_a_unique_id_and_a_summary()
    {
        var operations = _contract.Operations.ToList();
        operations.Where(op => string.IsNullOrWhiteSpace(op.Node["operationId"]?.GetValue<string>()) || string.IsNullOrWhiteSpace(op.Node["summary"]?.GetValue<string>()))
            .Select(op => op.ToString()).ShouldBeEmpty("operations without an operationId or a summary");
        operations.GroupBy(op => op.Node["operationId"]?.GetValue<string>()).Where(g => g.Count() > 1)
            .Select(g => $"{g.Key}: {string.Join(", ", g)}").ShouldBeEmpty("operationIds used twice");
    }

    [Fact]
    public void every_tag_used_is_described()
    {
        var described = (_contract.Root["tags"]?.AsArray() ?? []).Where(t => !string.IsNullOrWhiteSpace(t?["description"]?.GetValue<string>()))
            .Select(t => t!["name"]!.GetValue<string>()).ToHashSet();
        _contract.Operations.SelectMany(op => (op.Node["tags"]?.AsArray() ?? []).Select(t => t!.GetValue<string>())
                .Where(tag => !described.Contains(tag)).Select(tag => $"{op}: {tag}"))
            .ShouldBeEmpty("tags without a description at document level");
    }

    [Fact]
    public void every_path_parameter_is_declared() =>
        _contract.Operations.SelectMany(op => Placeholder().Matches(op.Path).Select(m => m.Groups[1].Value)
                .Where(name => !op.PathParameters.Contains(name)).Select(name => $"{op}: {{{name}}}"))
            .ShouldBeEmpty("path placeholders without a path parameter");

    [Fact]
    public void the_document_has_a_license_and_servers_without_a_trailing_slash()
    {
        var license = _contract.Root["info"]?["license"];
        license?["name"]?.GetValue<string>().ShouldNotBeNullOrWhiteSpace("info.license.name");
        (license?["url"] ?? license?["identifier"]).ShouldNotBeNull("info.license needs a url or an SPDX identifier");
        var servers = (_contract.Root["servers"]?.AsArray() ?? []).Select(s => s!["url"]!.GetValue<string>()).ToList();
        servers.ShouldNotBeEmpty("servers (\"/\" is the Host that serves the document)");
        servers.Where(url => url.EndsWith('/') && url != "/").ShouldBeEmpty("server URLs ending with a slash");
    }

    [Fact]
    public void every_component_is_used()
    {
        var text = _contract.Root.ToJsonString();
        var schemesUsed = _contract.Operations.SelectMany(op => op.Node["security"]?.AsArray() ?? [])
            .Concat(_contract.Root["security"]?.AsArray() ?? []).SelectMany(r => r!.AsObject().Select(s => s.Key)).ToHashSet();
        _contract.Components.Where(c => c.Kind == "securitySchemes"
                ? !schemesUsed.Contains(c.Name)
                : !text.Contains($"\"#/components/{c.Kind}/{c.Name}\"", StringComparison.Ordinal))
            .Select(c => $"{c.Kind}/{c.Name}").ShouldBeEmpty("components nothing refers to");
    }

    [GeneratedRegex(@"\{([^}]+)\}")]
    private static partial Regex Placeholder();
}
