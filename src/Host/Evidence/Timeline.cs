using JasperFx.Events;
using VirtualBranch.Engine.Activities.Control;
using VirtualBranch.Engine.Definitions;
using VirtualBranch.Engine.Integrity;
using VirtualBranch.Engine.Runtime;

namespace VirtualBranch.Host.Evidence;

/// <summary>One run of a step as people read it: what it was, who acted, when, and how it ended.</summary>
public sealed record TimelineStep(
    string StepId,
    string Title,
    string ActivityType,
    int Run,
    DateTimeOffset StartedAt,
    string? WaitedFor,
    DateTimeOffset? Deadline,
    string? ActedBy,
    string? ActedAs,
    DateTimeOffset? ActedAt,
    string? Outcome,
    DateTimeOffset? EndedAt,
    string? Error,
    IReadOnlyList<string> Records,
    long FirstVersion);

/// <summary>Something that happened to the case as a whole.</summary>
public sealed record TimelineMark(long Version, DateTimeOffset At, string What, string? Who);

/// <summary>The case's story for people: its steps in order and the marks of the case itself.</summary>
public sealed record CaseTimeline(Guid CaseId, string Number, string DefinitionId, int DefinitionVersion, IReadOnlyList<TimelineStep> Steps, IReadOnlyList<TimelineMark> Marks)
{
    public static CaseTimeline Build(IReadOnlyList<IEvent> events, DefinitionCatalog catalog)
    {
        var opened = (CaseOpened)events[0].Data;
        var definition = catalog.Find(opened.DefinitionId, opened.DefinitionVersion);
        var steps = new List<TimelineStep>();
        var open = new Dictionary<string, int>(StringComparer.Ordinal);
        var invited = new Dictionary<string, ParticipantInvited>(StringComparer.Ordinal);
        var marks = new List<TimelineMark> { new(1, opened.OpenedAt, $"Case {opened.Number} opened on {opened.DefinitionId} v{opened.DefinitionVersion}", opened.OpenedBy) };
        void Update(string stepId, Func<TimelineStep, TimelineStep> change)
        {
            if (open.TryGetValue(stepId, out var index))
            {
                steps[index] = change(steps[index]);
            }
        }
        string Invitee(string linkId) => invited.TryGetValue(linkId, out var p) ? $"{p.Role} {p.Name}" : $"participant {linkId}";
        void Start(string stepId, string activityType, DateTimeOffset at, long version)
        {
            open[stepId] = steps.Count;
            steps.Add(new TimelineStep(stepId, definition?.Activity(stepId)?.Label ?? stepId, activityType,
                steps.Count(x => x.StepId == stepId) + 1, at, null, null, null, null, null, null, null, null, [], version));
        }
        void Resume(string stepId, string by, string role, DateTimeOffset at) =>
            Update(stepId, t => t with { ActedBy = by, ActedAs = role, ActedAt = at });
        // A step's event may carry its start and its resume from the same command; older streams have them as events of their own.
        void Carried(IEvent e, StepTransition transition, DateTimeOffset at)
        {
            if (transition.Started is { } start)
            {
                Start(transition.StepId, start.ActivityType, at, e.Version);
            }
            if (transition.Resumed is { } resume)
            {
                Resume(transition.StepId, resume.ResumedBy, resume.Role, at);
            }
        }
        foreach (var e in events.Skip(1))
        {
            var who = e.GetHeader(HashChain.ActorIdHeader)?.ToString();
            switch (e.Data)
            {
                case StepStarted s:
                    Start(s.StepId, s.ActivityType, s.StartedAt, e.Version);
                    break;
                case StepWaiting w:
                    Carried(e, w, w.WaitingSince);
                    Update(w.StepId, t => t with { WaitedFor = w.Signal is { } signal ? $"signal {signal}" : w.Role, Deadline = w.Deadline });
                    break;
                case StepResumed r:
                    Resume(r.StepId, r.ResumedBy, r.Role, r.ResumedAt);
                    break;
                case DeadlineReached d:
                    Update(d.StepId, t => t with { Records = [.. t.Records, $"deadline {d.Deadline:O} passed"] });
                    break;
                case StepCompleted c:
                    Carried(e, c, c.CompletedAt);
                    Update(c.StepId, t => t with { Outcome = c.Outcomes.Count == 0 ? "ended" : string.Join(", ", c.Outcomes), EndedAt = c.CompletedAt });
                    break;
                case StepFailed f:
                    Carried(e, f, f.FailedAt);
                    Update(f.StepId, t => t with { Error = f.Error, EndedAt = f.FailedAt });
                    break;
                case NoteRecorded n:
                    Update(n.StepId, t => t with { Records = [.. t.Records, n.Message] });
                    break;
                case VariableSet v:
                    Update(v.StepId, t => t with { Records = [.. t.Records, $"{v.Name} = {v.Value.GetRawText()}"] });
                    break;
                case OutputSet o:
                    Update(o.StepId, t => t with { Records = [.. t.Records, $"output {o.Name} = {o.Value.GetRawText()}"] });
                    break;
                case StepRetried r:
                    marks.Add(new(e.Version, r.RetriedAt, $"Step {r.StepId} retried", r.RetriedBy));
                    break;
                case CaseCompleted c:
                    marks.Add(new(e.Version, c.CompletedAt, $"Case {c.Result}{(c.Reason is null ? "" : $": {c.Reason}")}", who));
                    break;
                case CaseCancelled c:
                    marks.Add(new(e.Version, c.CancelledAt, $"Case cancelled: {c.Reason}", c.CancelledBy));
                    break;
                case CaseExpired x:
                    marks.Add(new(e.Version, x.ExpiredAt, $"Case expired at step {x.StepId}", who));
                    break;
                case CaseSealed s:
                    marks.Add(new(e.Version, s.SealedAt, $"Case sealed at version {s.SealedVersion} (chain head {s.ChainHead[..12]}…, signer {s.SignerThumbprint[..12]}…)", who));
                    break;
                case LegalHoldPlaced h:
                    marks.Add(new(e.Version, h.PlacedAt, $"Legal hold placed: {h.Reason}", h.PlacedBy));
                    break;
                case LegalHoldReleased h:
                    marks.Add(new(e.Version, h.ReleasedAt, $"Legal hold released: {h.Reason}", h.ReleasedBy));
                    break;
                case CustomerLinkIssued l:
                    marks.Add(new(e.Version, l.IssuedAt, $"Customer link sent to {l.To} by {l.Channel}, valid until {l.ExpiresAt:u}", l.IssuedBy));
                    break;
                case CustomerLinkDelivered l:
                    marks.Add(new(e.Version, l.DeliveredAt, invited.TryGetValue(l.LinkId, out var guest)
                        ? $"Link of {guest.Role} {guest.Name} delivered ({l.Channel} reference {l.Reference})"
                        : $"Customer link delivered ({l.Channel} reference {l.Reference})", who));
                    break;
                case ParticipantInvited p:
                    invited[p.LinkId] = p;
                    marks.Add(new(e.Version, p.InvitedAt, $"{p.Role} {p.Name} invited into the video session; link sent to {p.To} by {p.Channel}, valid until {p.ExpiresAt:u}", p.InvitedBy));
                    break;
                case ParticipantLinkRedeemed p:
                    marks.Add(new(e.Version, p.RedeemedAt, $"{Invitee(p.LinkId)} opened their link ({p.Method})", who));
                    break;
                case ParticipantRemoved p:
                    marks.Add(new(e.Version, p.RemovedAt, $"{Invitee(p.LinkId)} taken out of the case: {p.Reason}", p.RemovedBy));
                    break;
                case ParticipantJoined p:
                    marks.Add(new(e.Version, p.JoinedAt, $"{p.Role} {p.Name} joined the video room", who));
                    break;
                case ParticipantLeft p:
                    marks.Add(new(e.Version, p.LeftAt, $"{p.Role} {p.Name} left the video room", who));
                    break;
                case CustomerLinkRedeemed l:
                    marks.Add(new(e.Version, l.RedeemedAt, $"Customer link opened by the customer ({l.Method})", who));
                    break;
                case CustomerLinkRevoked l:
                    marks.Add(new(e.Version, l.RevokedAt, $"Customer link revoked: {l.Reason}", l.RevokedBy));
                    break;
                case SessionDisrupted d:
                    marks.Add(new(e.Version, d.DisruptedAt, $"Video session disrupted ({d.Kind}): {d.Detail} Policy: {d.Policy}"
                        + (d.GoneTo is null ? "." : $", the flow went to {d.GoneTo}.")
                        + (d.Superseded.Count == 0 ? "" : $" Earlier answers of {string.Join(", ", d.Superseded)} are superseded by the new run."), d.ReportedBy));
                    foreach (var superseded in d.Superseded)
                    {
                        var last = steps.FindLastIndex(t => t.StepId == superseded);
                        if (last >= 0)
                        {
                            steps[last] = steps[last] with { Records = [.. steps[last].Records, $"superseded: the video session was disrupted at version {e.Version}"] };
                        }
                    }
                    break;
                case StepAbandoned a:
                    Update(a.StepId, t => t with { Outcome = "abandoned", EndedAt = a.AbandonedAt, Records = [.. t.Records, a.Reason] });
                    break;
                case CustomerConfirmed c:
                    Update(c.StepId, t => t with { Records = [.. t.Records, $"customer confirmed it is them ({c.Method})"] });
                    break;
                default:
                    var step = e.Data.GetType().GetProperty("StepId")?.GetValue(e.Data) as string;
                    if (step is not null)
                    {
                        Update(step, t => t with { Records = [.. t.Records, $"{e.EventTypeName}"] });
                    }
                    break;
            }
        }
        return new CaseTimeline(opened.CaseId, opened.Number, opened.DefinitionId, opened.DefinitionVersion, steps, marks);
    }
}
