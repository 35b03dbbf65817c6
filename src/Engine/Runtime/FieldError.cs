namespace VirtualBranch.Engine.Runtime;

/// <summary>One field of an input that was refused: a JSON pointer (<c>/amount</c>) and why.</summary>
public sealed record FieldError(string Path, string Message);
