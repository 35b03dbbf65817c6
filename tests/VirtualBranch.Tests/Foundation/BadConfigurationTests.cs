using System.Net;
using System.Net.Sockets;
using Shouldly;
using VirtualBranch.Tests.Support;

namespace VirtualBranch.Tests.Foundation;

/// <summary>The built Host, started as an operator would, with configuration an operator gets wrong.</summary>
public sealed class BadConfigurationTests
{
    private static async Task<(int ExitCode, string[] ErrorLines)> StartHost(string connectionString, string urls, string? dataDirectory = null,
        IReadOnlyDictionary<string, string>? settings = null)
    {
        var environment = new Dictionary<string, string>(settings ?? new Dictionary<string, string>())
        {
            ["ConnectionStrings__Engine"] = connectionString,
            ["Engine__DataDirectory"] = dataDirectory ?? Directory.CreateTempSubdirectory("vb-badconfig-").FullName,
        };
        var (exit, output, errors) = await HostProcess.RunToExitAsync(["--urls", urls], environment);
        output.ShouldNotContain("   at ", customMessage: "no stack trace on standard output either");
        return (exit, errors.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task unreachable_database_gives_one_line_naming_the_key()
    {
        var (exit, lines) = await StartHost($"Host=127.0.0.1;Port={HostProcess.FreePort()};Database=x;Username=x;Password=x", "http://127.0.0.1:0");
        exit.ShouldBe(1);
        lines.ShouldHaveSingleItem().ShouldStartWith("VirtualBranch cannot start: cannot reach PostgreSQL at 127.0.0.1:");
        lines[0].ShouldContain("ConnectionStrings:Engine");
    }

    [Fact]
    public async Task malformed_connection_string_gives_one_line_naming_the_key()
    {
        var (exit, lines) = await StartHost("Hots=127.0.0.1;Prot=5432", "http://127.0.0.1:0");
        exit.ShouldBe(1);
        lines.ShouldHaveSingleItem().ShouldStartWith("VirtualBranch cannot start: ConnectionStrings:Engine is not a valid PostgreSQL connection string");
    }

    [Fact]
    public async Task port_in_use_gives_one_line()
    {
        await using var database = await TestDatabase.CreateAsync();
        using var squatter = new TcpListener(IPAddress.Loopback, 0);
        squatter.Start();
        var port = ((IPEndPoint)squatter.LocalEndpoint).Port;
        var (exit, lines) = await StartHost(database.ConnectionString, $"http://127.0.0.1:{port}");
        exit.ShouldBe(1);
        var line = lines.ShouldHaveSingleItem();
        line.ShouldStartWith("VirtualBranch cannot start:");
        line.ShouldContain(port.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task bad_url_gives_one_line()
    {
        await using var database = await TestDatabase.CreateAsync();
        var (exit, lines) = await StartHost(database.ConnectionString, "http://127.0.0.1:99999");
        exit.ShouldBe(1);
        lines.ShouldHaveSingleItem().ShouldStartWith("VirtualBranch cannot start:");
    }

    [Theory]
    [InlineData("Media__IceServers", "stun:stun.example.com,https://turn.example.com", "Media:IceServers holds 'https://turn.example.com', which is not a stun:, turn: or turns: URL")]
    [InlineData("Media__IceTransportPolicy", "relays", "Media:IceTransportPolicy is 'relays'; it must be all")]
    [InlineData("Kestrel__Certificates__Default__Path", "/nowhere/cert.pem", "Kestrel:Certificates:Default:Path names '/nowhere/cert.pem', which does not exist.")]
    [InlineData("Telemetry__OtlpEndpoint", "collector:4317", "Telemetry:OtlpEndpoint is 'collector:4317'; it must be an http or https address of an OTLP collector")]
    public async Task a_wrong_network_setting_gives_one_line_naming_the_key(string variable, string value, string line)
    {
        // The database is never reached: the setting is refused before the Host looks for it.
        var (exit, lines) = await StartHost($"Host=127.0.0.1;Port={HostProcess.FreePort()};Database=x;Username=x;Password=x", "http://127.0.0.1:0",
            settings: new Dictionary<string, string> { [variable] = value });
        exit.ShouldBe(1);
        lines.ShouldHaveSingleItem().ShouldStartWith($"VirtualBranch cannot start: {line}");
    }

    [Theory]
    [InlineData("Engine__CheckpointIntervalSeconds", "-5", "Engine:CheckpointIntervalSeconds is '-5'; it must be a whole number of seconds, 0 or more.")]
    [InlineData("Engine__SoloNode", "yes", "Engine:SoloNode is 'yes'; it must be true or false.")]
    [InlineData("Engine__PublicUrl", "branch.example-bank.cn", "Engine:PublicUrl is 'branch.example-bank.cn'; it must be the http or https address customers reach the Host at")]
    [InlineData("Engine__SigningCertificatPath", "/etc/bank.pfx", "Engine:SigningCertificatPath is not a setting; the settings of Engine are CheckpointIntervalSeconds, CreateDemoAccounts, DataDirectory,")]
    public async Task a_wrong_engine_setting_gives_one_line_naming_the_key(string variable, string value, string line)
    {
        // A misspelt key is refused too: it would otherwise leave its setting at the default in silence (here, a generated demo key).
        var (lines, data) = await StartWithSetting(variable, value);
        lines.ShouldHaveSingleItem().ShouldStartWith($"VirtualBranch cannot start: {line}");
        Directory.EnumerateFileSystemEntries(data).ShouldBeEmpty("nothing was created before the settings were checked");
    }

    /// <summary>The Host started with one setting given, in a data folder of its own, against a database it never reaches; it must exit 1.</summary>
    private static async Task<(string[] ErrorLines, string DataDirectory)> StartWithSetting(string variable, string value)
    {
        var data = Directory.CreateTempSubdirectory("vb-badconfig-").FullName;
        var (exit, lines) = await StartHost($"Host=127.0.0.1;Port={HostProcess.FreePort()};Database=x;Username=x;Password=x", "http://127.0.0.1:0", data,
            settings: new Dictionary<string, string> { [variable] = value });
        exit.ShouldBe(1);
        return (lines, data);
    }

    [Theory]
    [InlineData("Evidence__Store", "s3", "Evidence:Store is 's3'; it must be directory (a shared folder) or postgresql (the case database).")]
    [InlineData("Evidence__Directory", "/etc/hostname", "Evidence:Directory names '/etc/hostname', which is a file; it must be a folder (shared by every Host).")]
    public async Task a_wrong_evidence_setting_gives_one_line_naming_the_key(string variable, string value, string line)
    {
        var (lines, data) = await StartWithSetting(variable, value);
        lines.ShouldHaveSingleItem().ShouldBe($"VirtualBranch cannot start: {line}");
        Directory.Exists(Path.Combine(data, "evidence")).ShouldBeFalse("nothing was created");
    }

    [Fact]
    public async Task an_https_address_without_a_certificate_gives_one_line_naming_the_key()
    {
        var (exit, lines) = await StartHost($"Host=127.0.0.1;Port={HostProcess.FreePort()};Database=x;Username=x;Password=x", "https://127.0.0.1:0");
        exit.ShouldBe(1);
        lines.ShouldHaveSingleItem().ShouldStartWith("VirtualBranch cannot start: an https address in --urls / ASPNETCORE_URLS needs a certificate: set Kestrel:Certificates:Default:Path");
    }

    [Fact]
    public async Task a_signing_key_the_trust_store_does_not_hold_gives_one_line()
    {
        await using var database = await TestDatabase.CreateAsync();
        var data = Directory.CreateTempSubdirectory("vb-badconfig-").FullName;
        using var other = Insider.OwnKey();
        await File.WriteAllTextAsync(Path.Combine(data, "trust-store.pem"), VirtualBranch.Host.Integrity.TrustStore.ToPem([other]), TestContext.Current.CancellationToken);
        var (exit, lines) = await StartHost(database.ConnectionString, "http://127.0.0.1:0", data);
        exit.ShouldBe(1);
        var line = lines.ShouldHaveSingleItem();
        line.ShouldStartWith("VirtualBranch cannot start: the bank's signing certificate");
        line.ShouldContain("is not in the trust store");
        line.ShouldContain("Engine:TrustStorePath");
    }

    [Fact]
    public async Task a_missing_contract_font_gives_one_line_naming_the_key()
    {
        await using var database = await TestDatabase.CreateAsync();
        var (exit, lines) = await StartHost(database.ConnectionString, "http://127.0.0.1:0",
            settings: new Dictionary<string, string> { ["ESign__Fonts"] = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf,/nowhere/contract.ttf" });
        exit.ShouldBe(1);
        lines.ShouldHaveSingleItem().ShouldBe("VirtualBranch cannot start: ESign:Fonts: the font file /nowhere/contract.ttf is missing.");
    }
}
