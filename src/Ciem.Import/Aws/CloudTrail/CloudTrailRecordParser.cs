using System.Collections.Immutable;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Ciem.Core.Aws.Usage;
using Ciem.Import.Json;

namespace Ciem.Import.Aws.CloudTrail;

/// <summary>
/// Turns the bytes of one record into a <see cref="CloudTrailEvent"/> with a single forward pass of
/// <see cref="Utf8JsonReader"/> (no document), interning repeated strings. Understands the event itself and the
/// envelopes that carry one: a <c>lookup-events</c> item (<c>CloudTrailEvent</c> as a JSON string), an EventBridge
/// event (<c>detail</c>) and SIEM exports such as Panther's (<c>log</c>). One per worker thread.
/// </summary>
internal sealed class CloudTrailRecordParser : IJsonRecordParser<CloudTrailEvent>
{
    private static readonly JsonReaderOptions Options = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true, MaxDepth = 256 };
    private const int MaxCachedIdentities = 50_000;

    private readonly StringInterner _strings = new();
    private readonly ByteKeyedCache<CachedIdentity> _identities = new(MaxCachedIdentities, 4096);
    private readonly ByteKeyedCache<ResourceList> _resources = new(MaxCachedIdentities, 4096);
    private readonly bool _keepRequestParameters;

    public CloudTrailRecordParser(bool keepRequestParameters) => _keepRequestParameters = keepRequestParameters;

    /// <summary>The account of the S3 delivery path (`AWSLogs/…/&lt;account&gt;/CloudTrail/…`), used when a record lacks <c>recipientAccountId</c>.</summary>
    public string? PathAccount { get; set; }

    /// <summary>Parses one complete JSON value; on failure returns null and says why (lowercase, no final period).</summary>
    public CloudTrailEvent? Parse(ReadOnlySpan<byte> json, out string? error) => Parse(json, depth: 0, out error, out _);

    /// <summary>
    /// Parses the JSON value at the start of <paramref name="json"/>, which may be followed by anything (the rest of a
    /// read buffer); <paramref name="consumed"/> is the value's length on success.
    /// </summary>
    public CloudTrailEvent? ParsePrefix(ReadOnlySpan<byte> json, out string? error, out int consumed) => Parse(json, depth: 0, out error, out consumed);

    private CloudTrailEvent? Parse(ReadOnlySpan<byte> json, int depth, out string? error) => Parse(json, depth, out error, out _);

    private CloudTrailEvent? Parse(ReadOnlySpan<byte> json, int depth, out string? error, out int consumed)
    {
        var reader = new Utf8JsonReader(json, Options);
        consumed = 0;
        try
        {
            var ev = ParseObject(ref reader, json, depth, out error);
            consumed = (int)reader.BytesConsumed;
            return ev;
        }
        catch (JsonException ex)
        {
            error = $"not valid json: {FirstLine(ex.Message)}";
            return null;
        }
        catch (InvalidOperationException ex)
        {
            error = $"unexpected value: {FirstLine(ex.Message)}";
            return null;
        }
    }

    private CloudTrailEvent? ParseObject(ref Utf8JsonReader reader, ReadOnlySpan<byte> json, int depth, out string? error)
    {
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            error = $"a record must be an object, not {Describe(reader.TokenType)}";
            return null;
        }
        string? eventId = null, source = null, name = null, region = null, recipient = null, sourceIp = null, userAgent = null;
        string? errorCode = null, errorMessage = null, eventType = null, category = null, requestParameters = null;
        string? sharedEventId = null, vpcEndpointId = null, timeText = null, embedded = null;
        DateTimeOffset? time = null;
        bool? readOnly = null, management = null;
        CachedIdentity? cachedIdentity = null;
        var resources = ImmutableArray<EventResource>.Empty;
        Range? envelope = null;

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var property = reader.ValueSpan;
            var escaped = reader.ValueIsEscaped;
            reader.Read();
            if (escaped) { reader.Skip(); continue; }
            switch (property.Length)
            {
                case 7 when property.SequenceEqual("eventID"u8): eventId = PlainString(ref reader); break;
                case 9 when property.SequenceEqual("eventTime"u8): time = Time(ref reader, out timeText); break;
                case 9 when property.SequenceEqual("eventName"u8): name = Str(ref reader); break;
                case 9 when property.SequenceEqual("awsRegion"u8): region = Str(ref reader); break;
                case 9 when property.SequenceEqual("errorCode"u8): errorCode = Str(ref reader); break;
                case 9 when property.SequenceEqual("eventType"u8): eventType = Str(ref reader); break;
                case 9 when property.SequenceEqual("userAgent"u8): userAgent = Str(ref reader); break;
                case 9 when property.SequenceEqual("resources"u8): resources = CachedResources(ref reader, json); break;
                case 8 when property.SequenceEqual("readOnly"u8): readOnly = Bool(ref reader); break;
                case 11 when property.SequenceEqual("eventSource"u8): source = Str(ref reader); break;
                case 12 when property.SequenceEqual("userIdentity"u8): cachedIdentity = CachedUserIdentity(ref reader, json); break;
                case 12 when property.SequenceEqual("errorMessage"u8): errorMessage = PlainString(ref reader); break;
                case 13 when property.SequenceEqual("eventCategory"u8): category = Str(ref reader); break;
                case 13 when property.SequenceEqual("sharedEventID"u8): sharedEventId = PlainString(ref reader); break;
                case 13 when property.SequenceEqual("vpcEndpointId"u8): vpcEndpointId = Str(ref reader); break;
                case 15 when property.SequenceEqual("sourceIPAddress"u8): sourceIp = Str(ref reader); break;
                case 15 when property.SequenceEqual("managementEvent"u8): management = Bool(ref reader); break;
                case 15 when property.SequenceEqual("CloudTrailEvent"u8): embedded = PlainString(ref reader); break;
                case 17 when property.SequenceEqual("requestParameters"u8): requestParameters = Raw(ref reader, json); break;
                case 18 when property.SequenceEqual("recipientAccountId"u8): recipient = Str(ref reader); break;
                case 3 when property.SequenceEqual("log"u8) && reader.TokenType == JsonTokenType.StartObject:
                case 6 when property.SequenceEqual("detail"u8) && reader.TokenType == JsonTokenType.StartObject:
                    envelope = ValueRange(ref reader);
                    break;
                default: reader.Skip(); break;
            }
        }

        if (source is null || name is null)
        {
            if (depth < 2 && embedded is not null)
            {
                return Parse(Encoding.UTF8.GetBytes(embedded), depth + 1, out error);
            }
            if (depth < 2 && envelope is { } inner)
            {
                return Parse(json[inner], depth + 1, out error);
            }
            error = source is null && name is null
                ? "not a cloudtrail event: no `eventSource` and no `eventName`"
                : $"not a cloudtrail event: no `{(source is null ? "eventSource" : "eventName")}`";
            return null;
        }
        if (time is null)
        {
            error = timeText is null ? $"event `{name}` has no `eventTime`" : $"`{timeText}` is not a date (`eventTime` of event `{name}`)";
            return null;
        }
        var identity = cachedIdentity?.Identity;
        recipient ??= PathAccount ?? identity?.AccountId ?? "";
        eventId ??= DerivedId(json[..(int)reader.BytesConsumed]);
        var principal = cachedIdentity?.PrincipalFor(recipient) ?? EventPrincipal.Unknown;
        error = null;
        return new CloudTrailEvent(eventId, time.Value, source, name, region, recipient, identity, principal, sourceIp, userAgent,
            errorCode, errorMessage, resources, readOnly, eventType, category, management, requestParameters, sharedEventId, vpcEndpointId);
    }

    /// <summary>A repeated <c>userIdentity</c> (same bytes) is parsed and attributed once.</summary>
    private CachedIdentity? CachedUserIdentity(ref Utf8JsonReader reader, ReadOnlySpan<byte> json)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return null;
        }
        var range = ValueRange(ref reader);
        var bytes = json[range];
        if (_identities.TryGet(bytes, out var cached)) { return cached; }
        var inner = new Utf8JsonReader(bytes, Options);
        inner.Read();
        var identity = Identity(ref inner);
        var created = identity is null ? null : new CachedIdentity(identity);
        if (created is not null) { _identities.Add(bytes, created); }
        return created;
    }

    /// <summary>A repeated <c>resources</c> list (same bytes) is parsed once and shared.</summary>
    private ImmutableArray<EventResource> CachedResources(ref Utf8JsonReader reader, ReadOnlySpan<byte> json)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            reader.Skip();
            return [];
        }
        var range = ValueRange(ref reader);
        var bytes = json[range];
        if (_resources.TryGet(bytes, out var cached)) { return cached!.Items; }
        var inner = new Utf8JsonReader(bytes, Options);
        inner.Read();
        var list = new ResourceList(Resources(ref inner));
        _resources.Add(bytes, list);
        return list.Items;
    }

    /// <summary>A parsed identity and its attribution for the recipient it was last seen with.</summary>
    private sealed class CachedIdentity(UserIdentity identity)
    {
        private string? _recipient;
        private EventPrincipal? _principal;

        public UserIdentity Identity { get; } = identity;

        public EventPrincipal PrincipalFor(string recipient)
        {
            if (_principal is null || !string.Equals(_recipient, recipient, StringComparison.Ordinal))
            {
                _principal = EventAttribution.Attribute(Identity, recipient);
                _recipient = recipient;
            }
            return _principal;
        }
    }

    private sealed record ResourceList(ImmutableArray<EventResource> Items);

    private UserIdentity? Identity(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartObject) { reader.Skip(); return null; }
        string? type = null, principalId = null, arn = null, account = null, key = null, user = null, invokedBy = null;
        string? provider = null, onBehalfOf = null, store = null, credential = null;
        SessionContext? session = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var p = reader.ValueSpan;
            reader.Read();
            if (p.SequenceEqual("type"u8)) { type = Str(ref reader); }
            else if (p.SequenceEqual("principalId"u8)) { principalId = Str(ref reader); }
            else if (p.SequenceEqual("arn"u8)) { arn = Str(ref reader); }
            else if (p.SequenceEqual("accountId"u8)) { account = Str(ref reader); }
            else if (p.SequenceEqual("accessKeyId"u8)) { key = Str(ref reader); }
            else if (p.SequenceEqual("userName"u8)) { user = Str(ref reader); }
            else if (p.SequenceEqual("invokedBy"u8)) { invokedBy = Str(ref reader); }
            else if (p.SequenceEqual("identityProvider"u8)) { provider = Str(ref reader); }
            else if (p.SequenceEqual("credentialId"u8)) { credential = Str(ref reader); }
            else if (p.SequenceEqual("sessionContext"u8)) { session = Session(ref reader); }
            else if (p.SequenceEqual("onBehalfOf"u8) && reader.TokenType == JsonTokenType.StartObject)
            {
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var q = reader.ValueSpan;
                    reader.Read();
                    if (q.SequenceEqual("userId"u8)) { onBehalfOf = Str(ref reader); }
                    else if (q.SequenceEqual("identityStoreArn"u8)) { store = Str(ref reader); }
                    else { reader.Skip(); }
                }
            }
            else { reader.Skip(); }
        }
        return new UserIdentity(type, principalId, arn, account, key, user, invokedBy, session, provider, onBehalfOf, store, credential);
    }

    private SessionContext? Session(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartObject) { reader.Skip(); return null; }
        SessionIssuer? issuer = null;
        bool? mfa = null;
        DateTimeOffset? created = null;
        string? sourceIdentity = null, federated = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var p = reader.ValueSpan;
            reader.Read();
            if (p.SequenceEqual("sessionIssuer"u8) && reader.TokenType == JsonTokenType.StartObject)
            {
                string? type = null, principalId = null, arn = null, account = null, user = null;
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var q = reader.ValueSpan;
                    reader.Read();
                    if (q.SequenceEqual("type"u8)) { type = Str(ref reader); }
                    else if (q.SequenceEqual("principalId"u8)) { principalId = Str(ref reader); }
                    else if (q.SequenceEqual("arn"u8)) { arn = Str(ref reader); }
                    else if (q.SequenceEqual("accountId"u8)) { account = Str(ref reader); }
                    else if (q.SequenceEqual("userName"u8)) { user = Str(ref reader); }
                    else { reader.Skip(); }
                }
                issuer = type is null && arn is null && principalId is null ? null : new SessionIssuer(type, principalId, arn, account, user);
            }
            else if (p.SequenceEqual("attributes"u8) && reader.TokenType == JsonTokenType.StartObject)
            {
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var q = reader.ValueSpan;
                    reader.Read();
                    if (q.SequenceEqual("mfaAuthenticated"u8)) { mfa = Bool(ref reader); }
                    else if (q.SequenceEqual("creationDate"u8)) { created = Time(ref reader, out _); }
                    else { reader.Skip(); }
                }
            }
            else if (p.SequenceEqual("webIdFederationData"u8) && reader.TokenType == JsonTokenType.StartObject)
            {
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var q = reader.ValueSpan;
                    reader.Read();
                    if (q.SequenceEqual("federatedProvider"u8)) { federated = Str(ref reader); }
                    else { reader.Skip(); }
                }
            }
            else if (p.SequenceEqual("sourceIdentity"u8)) { sourceIdentity = Str(ref reader); }
            else { reader.Skip(); }
        }
        return new SessionContext(issuer, mfa, created, sourceIdentity, federated);
    }

    private ImmutableArray<EventResource> Resources(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartArray) { reader.Skip(); return []; }
        var builder = ImmutableArray.CreateBuilder<EventResource>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject) { reader.Skip(); continue; }
            string? arn = null, account = null, type = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var p = reader.ValueSpan;
                reader.Read();
                if (p.SequenceEqual("ARN"u8) || p.SequenceEqual("arn"u8)) { arn = Str(ref reader); }
                else if (p.SequenceEqual("accountId"u8)) { account = Str(ref reader); }
                else if (p.SequenceEqual("type"u8)) { type = Str(ref reader); }
                else { reader.Skip(); }
            }
            builder.Add(new EventResource(arn, account, type));
        }
        return builder.DrainToImmutable();
    }

    /// <summary>A string value, interned; null for JSON null or any other kind (which is skipped).</summary>
    private string? Str(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.String) { return _strings.Get(ref reader); }
        reader.Skip();
        return null;
    }

    /// <summary>A string value that is usually unique (ids, messages): not interned.</summary>
    private static string? PlainString(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.String) { return reader.GetString(); }
        reader.Skip();
        return null;
    }

    private static bool? Bool(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.True => true,
        JsonTokenType.False => false,
        JsonTokenType.String when reader.ValueTextEquals("true"u8) => true,
        JsonTokenType.String when reader.ValueTextEquals("false"u8) => false,
        _ => SkipNull(ref reader),
    };

    private static bool? SkipNull(ref Utf8JsonReader reader)
    {
        reader.Skip();
        return null;
    }

    /// <summary>ISO 8601 directly from the bytes; otherwise a lenient parse (Panther writes `2022-09-27 17:09:18`), UTC assumed.</summary>
    private static DateTimeOffset? Time(ref Utf8JsonReader reader, out string? text)
    {
        text = null;
        if (reader.TokenType != JsonTokenType.String)
        {
            reader.Skip();
            return null;
        }
        if (reader.TryGetDateTimeOffset(out var value)) { return value; }
        text = reader.GetString();
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed) ? parsed : null;
    }

    private string? Raw(ref Utf8JsonReader reader, ReadOnlySpan<byte> json)
    {
        if (!_keepRequestParameters || reader.TokenType == JsonTokenType.Null)
        {
            reader.Skip();
            return null;
        }
        return Encoding.UTF8.GetString(json[ValueRange(ref reader)]);
    }

    /// <summary>The byte range of the value the reader is on, which it skips.</summary>
    private static Range ValueRange(ref Utf8JsonReader reader)
    {
        var start = (int)reader.TokenStartIndex;
        reader.Skip();
        return start..(int)reader.BytesConsumed;
    }

    /// <summary>A stable id for records without <c>eventID</c>: a hash of the record's bytes, so re-reading gives the same id.</summary>
    private static string DerivedId(ReadOnlySpan<byte> json)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(json, hash);
        return "sha256:" + Convert.ToHexStringLower(hash[..16]);
    }

    internal static string Describe(JsonTokenType type) => type switch
    {
        JsonTokenType.StartArray => "an array",
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        _ => "nothing",
    };

    internal static string FirstLine(string message) => JsonRecordFormat.FirstLine(message);
}
