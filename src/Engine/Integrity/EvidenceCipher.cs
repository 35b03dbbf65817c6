using System.Buffers.Binary;
using System.Security.Cryptography;

namespace VirtualBranch.Engine.Integrity;

/// <summary>
/// The format of an evidence file sealed under its case's data key (crypto-shredding: destroy the key and every copy of
/// the file, backups included, is noise). A header, then the content in segments of 64 KiB, each AES-256-GCM:
/// <code>
/// header   "VBEV1\n" · case id (16) · salt (16)
/// segment  ciphertext (64 KiB, the last one shorter) · tag (16)
/// </code>
/// The file's own key is HKDF-SHA256 of the case's key with the salt; a segment's nonce is its number, and its associated
/// data the header, its number and whether it is the last. So a segment cannot be moved, dropped or cut off at the end
/// without its tag failing, a file cannot be passed off as another case's, and any segment can be opened on its own: a
/// range of a long recording is read without the rest.
/// </summary>
public static class EvidenceCipher
{
    public const int SegmentSize = 64 * 1024;
    public const int TagSize = 16;
    private static ReadOnlySpan<byte> Magic => "VBEV1\n"u8;
    private const int SaltSize = 16;
    public static readonly int HeaderSize = Magic.Length + 16 + SaltSize;

    /// <summary>Seals <paramref name="plain"/> into <paramref name="sealedTarget"/>; answers the plain content's SHA-256 and size (what events vouch for).</summary>
    public static async Task<StoredContent> SealAsync(Stream plain, Stream sealedTarget, Guid caseId, byte[] caseKey, CancellationToken cancellation)
    {
        var header = new byte[HeaderSize];
        Magic.CopyTo(header);
        caseId.TryWriteBytes(header.AsSpan(Magic.Length, 16));
        RandomNumberGenerator.Fill(header.AsSpan(Magic.Length + 16, SaltSize));
        await sealedTarget.WriteAsync(header, cancellation);
        using var aes = new AesGcm(FileKey(caseKey, header), TagSize);
        using var hasher = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        // One segment read ahead: the last one is known (and sealed as last) only once the next read finds nothing.
        var current = new byte[SegmentSize];
        var next = new byte[SegmentSize];
        var output = new byte[SegmentSize + TagSize];
        var length = await plain.ReadAtLeastAsync(current, SegmentSize, throwOnEndOfStream: false, cancellation);
        long size = 0;
        for (long number = 0; ; number++)
        {
            var following = length == SegmentSize ? await plain.ReadAtLeastAsync(next, SegmentSize, throwOnEndOfStream: false, cancellation) : 0;
            var last = following == 0;
            hasher.AppendData(current, 0, length);
            size += length;
            aes.Encrypt(Nonce(number), current.AsSpan(0, length), output.AsSpan(0, length), output.AsSpan(length, TagSize), Associated(header, number, last));
            await sealedTarget.WriteAsync(output.AsMemory(0, length + TagSize), cancellation);
            if (last)
            {
                break;
            }
            (current, next) = (next, current);
            length = following;
        }
        return new StoredContent(Convert.ToHexStringLower(hasher.GetHashAndReset()), size);
    }

    /// <summary>The plain content of a sealed file, as a seekable read-only stream; a tampered segment throws <see cref="CryptographicException"/> when read.</summary>
    public static async Task<Stream> OpenAsync(Stream sealedSource, Guid caseId, byte[] caseKey, CancellationToken cancellation)
    {
        var header = new byte[HeaderSize];
        sealedSource.Position = 0;
        await sealedSource.ReadExactlyAsync(header, cancellation);
        if (!header.AsSpan(0, Magic.Length).SequenceEqual(Magic) || new Guid(header.AsSpan(Magic.Length, 16)) != caseId)
        {
            throw new CryptographicException($"The file is not sealed for case {caseId}.");
        }
        var body = sealedSource.Length - HeaderSize;
        var segments = Math.Max(1, (body + SegmentSize + TagSize - 1) / (SegmentSize + TagSize));
        var plainLength = body - segments * TagSize;
        if (plainLength < (segments - 1) * SegmentSize)
        {
            throw new CryptographicException("The sealed file is cut short.");
        }
        return new SealedEvidenceStream(sealedSource, new AesGcm(FileKey(caseKey, header), TagSize), header, segments, plainLength);
    }

    private static byte[] FileKey(byte[] caseKey, byte[] header) =>
        HKDF.DeriveKey(HashAlgorithmName.SHA256, caseKey, 32, salt: header.AsSpan(Magic.Length + 16, SaltSize).ToArray(), info: "vb evidence file 1"u8.ToArray());

    private static byte[] Nonce(long number)
    {
        var nonce = new byte[12];
        BinaryPrimitives.WriteInt64BigEndian(nonce.AsSpan(4), number);
        return nonce;
    }

    private static byte[] Associated(byte[] header, long number, bool last)
    {
        var data = new byte[header.Length + 9];
        header.CopyTo(data, 0);
        BinaryPrimitives.WriteInt64BigEndian(data.AsSpan(header.Length), number);
        data[^1] = last ? (byte)1 : (byte)0;
        return data;
    }

    /// <summary>Reads one segment at a time, opening it only when a read reaches it.</summary>
    private sealed class SealedEvidenceStream(Stream source, AesGcm aes, byte[] header, long segments, long length) : Stream
    {
        private readonly byte[] _sealed = new byte[SegmentSize + TagSize];
        private readonly byte[] _plain = new byte[SegmentSize];
        private long _opened = -1;
        private int _openedLength;
        private long _position;

        public override bool CanRead => true;
        public override bool CanSeek => true;
        public override bool CanWrite => false;
        public override long Length => length;

        public override long Position
        {
            get => _position;
            set => _position = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(value));
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            if (_position >= length || buffer.Length == 0)
            {
                return 0;
            }
            var number = _position / SegmentSize;
            if (number != _opened)
            {
                OpenSegment(number);
            }
            var within = (int)(_position - number * SegmentSize);
            var count = Math.Min(buffer.Length, _openedLength - within);
            _plain.AsSpan(within, count).CopyTo(buffer);
            _position += count;
            return count;
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_position < length && buffer.Length > 0 && _position / SegmentSize is var number && number != _opened)
            {
                var plainLength = PlainLengthOf(number);
                source.Position = HeaderSize + number * (SegmentSize + TagSize);
                await source.ReadExactlyAsync(_sealed.AsMemory(0, plainLength + TagSize), cancellationToken);
                Decrypt(number, plainLength);
            }
            return Read(buffer.Span);
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        private int PlainLengthOf(long number) => number == segments - 1 ? (int)(length - number * SegmentSize) : SegmentSize;

        private void OpenSegment(long number)
        {
            var plainLength = PlainLengthOf(number);
            source.Position = HeaderSize + number * (SegmentSize + TagSize);
            source.ReadExactly(_sealed, 0, plainLength + TagSize);
            Decrypt(number, plainLength);
        }

        private void Decrypt(long number, int plainLength)
        {
            _opened = -1;
            aes.Decrypt(Nonce(number), _sealed.AsSpan(0, plainLength), _sealed.AsSpan(plainLength, TagSize), _plain.AsSpan(0, plainLength),
                Associated(header, number, number == segments - 1));
            (_opened, _openedLength) = (number, plainLength);
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

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                aes.Dispose();
                source.Dispose();
            }
            base.Dispose(disposing);
        }

        public override async ValueTask DisposeAsync()
        {
            aes.Dispose();
            await source.DisposeAsync();
            await base.DisposeAsync();
        }
    }
}
