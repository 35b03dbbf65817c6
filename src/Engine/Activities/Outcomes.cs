namespace VirtualBranch.Engine.Activities;

/// <summary>Outcome names shared by several activities.</summary>
public static class Outcomes
{
    public const string Done = "done";
    public const string True = "true";
    public const string False = "false";
    public const string Default = "default";
    public const string Expired = "expired";
    public const string Elapsed = "elapsed";
    public const string Received = "received";
}
