using System.Security.Cryptography;
using System.Text;
using Marten;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.Tokens;
using VirtualBranch.Host.Auth.Lockout;
using VirtualBranch.Host.Auth.Passwords;
using VirtualBranch.Host.Auth.Sessions;
using VirtualBranch.Host.Configuration;
using VirtualBranch.Host.Persistence;
using VirtualBranch.Engine.Activities;

namespace VirtualBranch.Host.Auth;

/// <summary>
/// Cookie and JWT bearer auth over local accounts, each sign-in a session in PostgreSQL; or bearer tokens of an external
/// OpenID Connect authority when <c>Auth:Authority</c> is set.
/// </summary>
public static class AuthSetup
{
    public const string Issuer = "virtualbranch";
    public const string Audience = "virtualbranch-api";
    public const string RoleClaim = "role";
    public const string CookieName = "vb.session";
    private const string Smart = "smart";

    public static void AddAuth(this WebApplicationBuilder builder)
    {
        var options = builder.Services.BuildRequiredSingleton<EngineOptions>();
        if (options.CreateDemoAccounts)
        {
            DemoAccounts.EnsureCreated(options.DataDirectory);
        }
        builder.Configuration.AddJsonFile(Path.Combine(options.DataDirectory, DemoAccounts.AccountsFile), optional: true, reloadOnChange: false);
        builder.Services.AddSingleton(sp => LocalAccounts.FromConfiguration(sp.GetRequiredService<IConfiguration>()));
        var key = new SymmetricSecurityKey(SigningKey(options.DataDirectory));
        builder.Services.AddSingleton(new TokenIssuer(key, TimeProvider.System));
        builder.Services.AddSingleton<SessionStore>();
        builder.Services.AddSingleton<LocalSignIn>();
        builder.Services.AddSingleton<AccountLockouts>();
        builder.Services.ConfigureMarten(store =>
        {
            store.Schema.For<AuthSession>().Index(s => s.User);
            store.Schema.For<ChangedPassword>();
            store.Schema.For<AccountLockout>();
        });
        var authority = builder.Configuration["Auth:Authority"];
        // Pages sign in with an HttpOnly cookie; the API also takes bearer tokens. The default scheme picks by request.
        builder.Services.AddAuthentication(options =>
            {
                options.DefaultScheme = Smart;
                options.DefaultChallengeScheme = Smart;
            })
            .AddPolicyScheme(Smart, "Bearer or cookie", policy => policy.ForwardDefaultSelector = context =>
                context.Request.Headers.Authorization.FirstOrDefault()?.StartsWith("Bearer ", StringComparison.Ordinal) == true
                || context.Request.Query.ContainsKey("access_token")
                    ? JwtBearerDefaults.AuthenticationScheme
                    : context.Request.Cookies.ContainsKey(CookieName) ? CookieAuthenticationDefaults.AuthenticationScheme : JwtBearerDefaults.AuthenticationScheme)
            .AddCookie(cookie =>
            {
                cookie.Cookie.Name = CookieName;
                cookie.Cookie.HttpOnly = true;
                cookie.Cookie.SameSite = SameSiteMode.Strict;
                // Secure whenever the request came over HTTPS (behind a proxy too, see ForwardedHeadersSetup); Auth:SecureCookies forces it.
                cookie.Cookie.SecurePolicy = builder.Configuration.GetValue<bool>("Auth:SecureCookies") ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;
                cookie.ExpireTimeSpan = SessionStore.Lifetime;
                cookie.SlidingExpiration = false;
                cookie.Events.OnValidatePrincipal = SessionValidation.ValidateCookie;
                // An API answers 401/403, it does not redirect to a login page.
                cookie.Events.OnRedirectToLogin = context => { context.Response.StatusCode = StatusCodes.Status401Unauthorized; return Task.CompletedTask; };
                cookie.Events.OnRedirectToAccessDenied = context => { context.Response.StatusCode = StatusCodes.Status403Forbidden; return Task.CompletedTask; };
            })
            .AddJwtBearer(jwt =>
        {
            jwt.MapInboundClaims = false;
            // Browsers cannot put headers on a WebSocket: the video room takes the token from the query.
            jwt.Events = new JwtBearerEvents
            {
                OnMessageReceived = context =>
                {
                    if (context.Request.Path.Value?.EndsWith("/room", StringComparison.Ordinal) == true && context.Request.Query["access_token"].FirstOrDefault() is { } token)
                    {
                        context.Token = token;
                    }
                    return Task.CompletedTask;
                },
            };
            if (!string.IsNullOrEmpty(authority))
            {
                jwt.Authority = authority;
                jwt.Audience = builder.Configuration["Auth:Audience"] ?? Audience;
                jwt.TokenValidationParameters.RoleClaimType = builder.Configuration["Auth:RoleClaim"] ?? RoleClaim;
                return;
            }
            jwt.Events.OnTokenValidated = SessionValidation.ValidateToken;
            jwt.TokenValidationParameters = new TokenValidationParameters
            {
                ValidIssuer = Issuer,
                ValidAudience = Audience,
                IssuerSigningKey = key,
                RoleClaimType = RoleClaim,
                NameClaimType = "sub",
                ClockSkew = TimeSpan.FromSeconds(30),
            };
        });
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(Policies.Analyst, p => p.RequireRole(Roles.Analyst))
            .AddPolicy(Policies.Worker, p => p.RequireRole(Roles.Teller, Roles.Supervisor))
            .AddPolicy(Policies.Supervisor, p => p.RequireRole(Roles.Supervisor))
            .AddPolicy(Policies.Reader, p => p.RequireRole(Roles.Teller, Roles.Supervisor, Roles.Regulator, Roles.Analyst))
            .AddPolicy(Policies.Signaller, p => p.RequireRole(Roles.System, Roles.Supervisor))
            .AddPolicy(Policies.Oversight, p => p.RequireRole(Roles.Supervisor, Roles.Regulator));
    }

    /// <summary>The HMAC key for local tokens, generated on first run into the data directory.</summary>
    private static byte[] SigningKey(string dataDirectory)
    {
        var path = Path.Combine(dataDirectory, "jwt-signing.key");
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(dataDirectory);
            File.WriteAllText(path, Convert.ToBase64String(RandomNumberGenerator.GetBytes(64)), Encoding.ASCII);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
        }
        return Convert.FromBase64String(File.ReadAllText(path).Trim());
    }
}

/// <summary>Authorization policy names.</summary>
public static class Policies
{
    public const string Analyst = "analyst";
    public const string Worker = "worker";
    public const string Supervisor = "supervisor";
    public const string Reader = "reader";
    public const string Signaller = "signaller";

    /// <summary>Supervisors and regulators: those who check the evidence as a whole.</summary>
    public const string Oversight = "oversight";
}
