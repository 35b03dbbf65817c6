using Npgsql;
using VirtualBranch.Engine.Persistence;
using VirtualBranch.Host.Persistence;

namespace VirtualBranch.Host.Privacy;

/// <summary>
/// Tells every Host of the database that a case's data key was destroyed, in the transaction that destroys it
/// (PostgreSQL <c>NOTIFY</c>): each forgets the key and the case's cached state, which were opened with it, so the next
/// read folds the stream again and finds the personal fields erased. After (re)connecting, a Host forgets every key and
/// state it holds, since a notification may have been missed meanwhile.
/// </summary>
public sealed class ErasureRelay(NpgsqlDataSource database, PersonalDataKeys keys, CaseStateCache cache, ILogger<ErasureRelay> log)
    : NotificationListener(database, log)
{
    public const string ChannelName = "vb_personal_data_erased";

    protected override string Channel => ChannelName;

    protected override Task OnListeningAsync(CancellationToken cancellation)
    {
        keys.ForgetAll();
        cache.Clear();
        return Task.CompletedTask;
    }

    protected override Task OnNotificationAsync(string payload, CancellationToken cancellation)
    {
        if (Guid.TryParse(payload, out var caseId))
        {
            keys.Forget(caseId);
            cache.Forget(caseId);
        }
        return Task.CompletedTask;
    }
}
