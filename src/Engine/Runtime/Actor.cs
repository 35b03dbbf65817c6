namespace VirtualBranch.Engine.Runtime;

/// <summary>Who did something: a user (or system) id and the role they acted in.</summary>
public sealed record Actor(string Id, string Role)
{
    public static readonly Actor Timer = new("timer", "system");
}
