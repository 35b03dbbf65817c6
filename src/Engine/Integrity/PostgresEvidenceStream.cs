using Npgsql;

namespace VirtualBranch.Engine.Integrity;

/// <summary>
/// A file of <see cref="PostgresEvidenceStore"/> read as a seekable stream: it holds one chunk at a time and fetches the
/// chunk a read needs, so serving a byte range of a recording reads only the chunks that range covers.
/// </summary>
public sealed class PostgresEvidenceStream(NpgsqlDataSource database, string sha256, long length, int chunkSize) : Stream
{
    private byte[] _chunk = [];
    private long _chunkIndex = -1;
    private long _position;

    public override bool CanRead => true;

    public override bool CanSeek => true;

    public override bool CanWrite => false;

    public override long Length => length;

    public override long Position
    {
        get => _position;
        set => _position = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(value), "A position cannot be negative.");
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (Needed(buffer.Length) is not { } index)
        {
            return 0;
        }
        if (index != _chunkIndex)
        {
            using var command = Command(index);
            Loaded(index, command.ExecuteScalar());
        }
        return CopyTo(buffer);
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (Needed(buffer.Length) is not { } index)
        {
            return 0;
        }
        if (index != _chunkIndex)
        {
            await using var command = Command(index);
            Loaded(index, await command.ExecuteScalarAsync(cancellationToken));
        }
        return CopyTo(buffer.Span);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    private long? Needed(int wanted) => wanted == 0 || _position >= length ? null : _position / chunkSize;

    private NpgsqlCommand Command(long index)
    {
        var command = database.CreateCommand("select data from vb.vb_evidence_chunks where sha256 = $1 and position = $2");
        command.Parameters.Add(new() { Value = sha256 });
        command.Parameters.Add(new() { Value = (int)index });
        return command;
    }

    private void Loaded(long index, object? data)
    {
        _chunk = data as byte[] ?? throw new IOException($"Chunk {index} of the evidence file {sha256} is missing from the database; run verify.");
        _chunkIndex = index;
    }

    private int CopyTo(Span<byte> buffer)
    {
        var within = (int)(_position - (_chunkIndex * chunkSize));
        var count = Math.Min(buffer.Length, _chunk.Length - within);
        if (count <= 0)
        {
            throw new IOException($"The evidence file {sha256} is shorter in the database than its recorded size; run verify.");
        }
        _chunk.AsSpan(within, count).CopyTo(buffer);
        _position += count;
        return count;
    }

    public override long Seek(long offset, SeekOrigin origin) => Position = origin switch
    {
        SeekOrigin.Begin => offset,
        SeekOrigin.Current => _position + offset,
        _ => length + offset,
    };

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException("Evidence is read-only.");

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("Evidence is read-only.");
}
