using System.Text.Json.Nodes;

namespace VirtualBranch.Tests.ApiContract;

/// <summary>The committed OpenAPI document (<c>docs/openapi.json</c>), read as JSON, with its operations listed by path and method.</summary>
public sealed class Contract
{
    private static readonly string[] Methods = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

    private Contract(JsonObject root) => Root = root;

    public JsonObject Root { get; }

    public static Contract Committed() => new(JsonNode.Parse(File.ReadAllText(CommittedContractTests.CommittedPath))!.AsObject());

    public IEnumerable<Operation> Operations =>
        from path in Root["paths"]!.AsObject()
        from method in path.Value!.AsObject()
        where Methods.Contains(method.Key)
        select new Operation(path.Key, method.Key, method.Value!.AsObject(), path.Value!.AsObject());

    /// <summary>Named components of one kind (schemas, responses, securitySchemes, ...).</summary>
    public IEnumerable<(string Kind, string Name)> Components =>
        from kind in Root["components"]?.AsObject() ?? []
        from component in kind.Value!.AsObject()
        select (kind.Key, component.Key);

    /// <summary>One operation: its path, its method, the operation object and the path item it sits in.</summary>
    public sealed record Operation(string Path, string Method, JsonObject Node, JsonObject PathItem)
    {
        public override string ToString() => $"{Method.ToUpperInvariant()} {Path}";

        /// <summary>Path parameters declared on the operation or on its path item.</summary>
        public IEnumerable<string> PathParameters =>
            (Node["parameters"]?.AsArray() ?? []).Concat(PathItem["parameters"]?.AsArray() ?? [])
            .Where(p => p?["in"]?.GetValue<string>() == "path").Select(p => p!["name"]!.GetValue<string>());
    }
}
