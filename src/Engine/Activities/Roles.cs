namespace VirtualBranch.Engine.Activities;

/// <summary>Roles the engine itself knows about; scenario roles are free text.</summary>
public static class Roles
{
    public const string Analyst = "analyst";
    public const string Teller = "teller";
    public const string Supervisor = "supervisor";
    public const string Regulator = "regulator";
    public const string Customer = "customer";

    /// <summary>Someone else in the customer's video session (a relative, an interpreter) by a link of their own; acts on nothing.</summary>
    public const string Participant = "participant";

    /// <summary>Another system (core banking, a timer) acting on the case.</summary>
    public const string System = "system";
}
