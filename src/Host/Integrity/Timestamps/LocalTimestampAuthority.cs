using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Nist;
using Org.BouncyCastle.Cms;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Operators;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.Tsp;
using Org.BouncyCastle.Utilities.Collections;
using BcCertificate = Org.BouncyCastle.X509.X509Certificate;

namespace VirtualBranch.Host.Integrity.Timestamps;

/// <summary>
/// The embedded timestamp authority: real RFC 3161 tokens signed with its own key (<see cref="LocalTimestampKey"/>),
/// timed by the injected clock to the whole second. It answers both this Host's own stamps and, through <c>POST /api/timestamp</c>, anyone's.
/// </summary>
public sealed class LocalTimestampAuthority : ITimestampAuthority
{
    /// <summary>The TSA policy named in tokens unless <c>Timestamp:PolicyOid</c> says otherwise: a UUID-derived OID (X.667), ours without registration.</summary>
    public const string DefaultPolicy = "2.25.146436788504169765482552985927889166175";

    private const string Source = "the local timestamp authority";

    // SHA-1 imprints are refused: a collision would let one token vouch for two documents.
    private static readonly string[] Algorithms = [TspAlgorithms.Sha256, TspAlgorithms.Sha384, TspAlgorithms.Sha512];

    private readonly TimeProvider _clock;
    private readonly string _policy;
    private readonly AsymmetricKeyParameter _key;
    private readonly BcCertificate _signer;

    public LocalTimestampAuthority(string dataDirectory, TimeProvider clock, string? policy = null)
    {
        _clock = clock;
        _policy = policy ?? DefaultPolicy;
        Certificate = LocalTimestampKey.LoadOrCreate(dataDirectory, clock);
        using var key = Certificate.GetECDsaPrivateKey() ?? throw new CryptographicException($"{LocalTimestampKey.KeyFile} holds no ECDSA private key.");
        _key = PrivateKeyFactory.CreateKey(key.ExportPkcs8PrivateKey());
        _signer = new BcCertificate(Certificate.RawData);
    }

    /// <summary>The authority's certificate, as published in <c>tsa.pem</c>; verifiers pin this, never the copy inside a token.</summary>
    public X509Certificate2 Certificate { get; }

    public Task<byte[]> StampAsync(ReadOnlyMemory<byte> data, CancellationToken cancellation)
    {
        var query = TimestampExchange.Query(data.Span);
        var reply = Reply(query.Encode()) ?? throw new TimestampAuthorityException($"{Source} could not read its own query.");
        return Task.FromResult(TimestampExchange.Accept(query, reply, Source));
    }

    /// <summary>
    /// The DER TimeStampResp to a DER TimeStampReq: a token, or a rejection saying why (an imprint algorithm other than
    /// SHA-2, another policy, any extension, an imprint of the wrong length). Null when the bytes are no TimeStampReq at all.
    /// </summary>
    public byte[]? Reply(byte[] query)
    {
        TimeStampRequest request;
        try
        {
            request = new TimeStampRequest(query);
            // BouncyCastle reads some fields on first use; touch them here so a malformed query fails here, not while signing.
            _ = (request.MessageImprintAlgOid, request.GetMessageImprintDigest(), request.Nonce, request.ReqPolicy, request.CertReq, request.HasExtensions);
        }
        catch (Exception)
        {
            return null; // malformed input surfaces as several BouncyCastle exception types; all mean "not a TimeStampReq"
        }
        var signerInfo = new SignerInfoGeneratorBuilder()
            .WithSignedAttributeGenerator(new DefaultSignedAttributeTableGenerator())
            .Build(new Asn1SignatureFactory("SHA256WITHECDSA", _key), _signer);
        // A SHA-256 digest factory makes BouncyCastle add ESS signing-certificate-v2, which .NET's verifier requires.
        var tokens = new TimeStampTokenGenerator(signerInfo, Asn1DigestFactory.Get(NistObjectIdentifiers.IdSha256),
            new DerObjectIdentifier(_policy), isIssuerSerialIncluded: true);
        tokens.SetCertificates(CollectionUtilities.CreateStore(new[] { _signer }));
        // A new generator per reply: BouncyCastle's response generator accumulates status text across calls.
        var responses = new TimeStampResponseGenerator(tokens, Algorithms, [_policy], []);
        return responses.Generate(request, Serial(), _clock.GetUtcNow().UtcDateTime).GetEncoded();
    }

    /// <summary>128 random bits: unique without a counter to persist or share between Hosts.</summary>
    private static BigInteger Serial() => new(1, RandomNumberGenerator.GetBytes(16));
}
