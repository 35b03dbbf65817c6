using System.Collections.Concurrent;
using System.Text.Json;
using Acornima.Ast;
using Jint;
using Jint.Native;
using Jint.Runtime;

namespace VirtualBranch.Engine.Expressions;

/// <summary>
/// JavaScript expressions on Jint in a sandbox: no CLR access, bounded statements, memory and recursion, and
/// no clock, time zone or random source of the machine's (every clock read gives the command's time, local time is
/// UTC, <c>Math.random</c> and <c>Intl.DateTimeFormat</c> throw), so replay evaluates to the same value.
/// </summary>
public sealed class ExpressionEvaluator : IExpressionEvaluator
{
    public const int MaxStatements = 10_000;
    public const long MaxMemoryBytes = 8_000_000;

    private const string Lockdown =
        "Math.random = function () { throw new Error('Math.random is not available: expressions must give the same value on replay'); };" +
        // Jint's Intl.DateTimeFormat formats in, and reports, the machine's zone whatever the engine's time system says.
        "Intl.DateTimeFormat = function () { throw new Error('Intl.DateTimeFormat is not available: it reads the machine\\'s time zone; use toLocaleString or toISOString, which are in UTC'); };";

    private static readonly Prepared<Script> LockdownScript = Jint.Engine.PrepareScript(Lockdown);
    private readonly ConcurrentDictionary<string, Prepared<Script>> _prepared = new(StringComparer.Ordinal);

    public JsonElement Evaluate(string expression, ExpressionScope scope)
    {
        var script = Prepare(expression);
        var engine = new Jint.Engine(options =>
        {
            options.Strict().MaxStatements(MaxStatements).LimitMemory(MaxMemoryBytes).LimitRecursion(64)
                .TimeoutInterval(TimeSpan.FromSeconds(2));
            // A new engine per evaluation, so the clock holds this command's time and no other.
            options.TimeSystem = new CommandClock(scope.Now);
            options.Temporal.TimeZoneProvider = UtcTemporalZones.Instance;
            // toLocaleString would otherwise follow the host's culture.
            options.Culture = System.Globalization.CultureInfo.InvariantCulture;
        });
        try
        {
            engine.Execute(LockdownScript);
            engine.SetValue("data", JsonValues.ToJs(engine, scope.Data));
            engine.SetValue("vars", JsonValues.ToJs(engine, scope.Variables));
            engine.SetValue("input", scope.Input is { } input ? JsonValues.ToJs(engine, input) : JsValue.Null);
            engine.SetValue("steps", JsonValues.ToJs(engine, scope.Steps));
            engine.SetValue("now", scope.Now.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
            var result = engine.Evaluate(script);
            return ToJson(engine, result);
        }
        catch (JavaScriptException ex)
        {
            throw new ExpressionException($"The expression '{Shorten(expression)}' failed: {ex.Message}", ex);
        }
        catch (StatementsCountOverflowException ex)
        {
            throw new ExpressionException($"The expression '{Shorten(expression)}' ran more than {MaxStatements} statements and was stopped.", ex);
        }
        catch (MemoryLimitExceededException ex)
        {
            throw new ExpressionException($"The expression '{Shorten(expression)}' used more than {MaxMemoryBytes / 1_000_000} MB and was stopped.", ex);
        }
        catch (RecursionDepthOverflowException ex)
        {
            throw new ExpressionException($"The expression '{Shorten(expression)}' recursed too deeply and was stopped.", ex);
        }
        catch (TimeoutException ex)
        {
            throw new ExpressionException($"The expression '{Shorten(expression)}' ran too long and was stopped.", ex);
        }
        catch (JintException ex)
        {
            throw new ExpressionException($"The expression '{Shorten(expression)}' failed: {ex.Message}", ex);
        }
    }

    public string? SyntaxError(string expression)
    {
        try
        {
            Prepare(expression);
            return null;
        }
        catch (ExpressionException ex)
        {
            return ex.Message;
        }
    }

    /// <summary>JavaScript truthiness of a JSON value.</summary>
    public static bool IsTruthy(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.Number => value.GetDouble() is not 0 and not double.NaN,
        JsonValueKind.String => value.GetString()!.Length > 0,
        JsonValueKind.Object or JsonValueKind.Array => true,
        _ => false,
    };

    private Prepared<Script> Prepare(string expression) =>
        _prepared.GetOrAdd(expression, static text =>
        {
            try
            {
                return Jint.Engine.PrepareScript(text, strict: true);
            }
            catch (Exception ex) when (ex is Acornima.SyntaxErrorException or Acornima.ParseErrorException or JintException)
            {
                throw new ExpressionException(ex.Message, ex);
            }
        });

    private static JsonElement ToJson(Jint.Engine engine, JsValue value)
    {
        if (value.IsUndefined() || value.IsNull())
        {
            return JsonSerializer.SerializeToElement<object?>(null);
        }
        var text = new Jint.Native.Json.JsonSerializer(engine).Serialize(value, JsValue.Undefined, JsValue.Undefined);
        return text.IsUndefined()
            ? JsonSerializer.SerializeToElement<object?>(null)
            : JsonDocument.Parse(text.AsString()).RootElement.Clone();
    }

    private static string Shorten(string text) => text.Length <= 80 ? text : text[..77] + "...";
}
