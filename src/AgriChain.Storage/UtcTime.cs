namespace AgriChain.Storage;

/// <summary>
/// How the stores turn <see cref="DateTimeOffset"/> into stored numbers and back. Everything is UTC; values come back
/// with offset zero.
/// </summary>
internal static class UtcTime
{
    private const long TicksPerMicrosecond = TimeSpan.TicksPerMillisecond / 1_000;

    /// <summary>Unix milliseconds, rounded down (earlier) for times between two milliseconds.</summary>
    public static long ToUnixMilliseconds(DateTimeOffset value) => value.ToUnixTimeMilliseconds();

    /// <summary>
    /// The first whole unix millisecond at or after <paramref name="value"/>: for bounds, so that
    /// <c>at_ms &gt;= bound</c> (and <c>&lt;</c>) selects exactly the stored times at or after (before) the value.
    /// </summary>
    public static long CeilingUnixMilliseconds(DateTimeOffset value)
    {
        var floor = value.ToUnixTimeMilliseconds();
        return value.UtcTicks % TimeSpan.TicksPerMillisecond == 0 ? floor : floor + 1;
    }

    public static DateTimeOffset FromUnixMilliseconds(long milliseconds) => DateTimeOffset.FromUnixTimeMilliseconds(milliseconds);

    /// <summary>
    /// The same instant as a <see cref="DateTime"/> of kind UTC, as Npgsql writes to <c>timestamptz</c>. A bound past the
    /// last (first) representable time, such as <see cref="DateTimeOffset.MaxValue"/> rounded up to a whole millisecond,
    /// becomes <see cref="DateTime.MaxValue"/> (<see cref="DateTime.MinValue"/>), which Npgsql writes as infinity.
    /// </summary>
    public static DateTime ToUtcDateTime(long unixMilliseconds)
    {
        if (unixMilliseconds > (DateTime.MaxValue.Ticks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerMillisecond)
        {
            return DateTime.SpecifyKind(DateTime.MaxValue, DateTimeKind.Utc);
        }

        if (unixMilliseconds < -DateTime.UnixEpoch.Ticks / TimeSpan.TicksPerMillisecond)
        {
            return DateTime.SpecifyKind(DateTime.MinValue, DateTimeKind.Utc);
        }

        return new(DateTime.UnixEpoch.Ticks + (unixMilliseconds * TimeSpan.TicksPerMillisecond), DateTimeKind.Utc);
    }

    /// <summary>Unix milliseconds of a <c>timestamptz</c> read back by Npgsql (kind UTC); exact for whole milliseconds.</summary>
    public static long ToUnixMilliseconds(DateTime utc) => (utc.Ticks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerMillisecond;

    /// <summary><paramref name="value"/> in UTC with anything finer than a microsecond cut off (what PostgreSQL keeps).</summary>
    public static DateTimeOffset TruncateToMicroseconds(DateTimeOffset value)
    {
        var ticks = value.UtcTicks;
        return new DateTimeOffset(ticks - (ticks % TicksPerMicrosecond), TimeSpan.Zero);
    }

    /// <summary>Unix microseconds of <paramref name="value"/>, rounded down.</summary>
    public static long ToUnixMicroseconds(DateTimeOffset value) =>
        (TruncateToMicroseconds(value).UtcTicks - DateTime.UnixEpoch.Ticks) / TicksPerMicrosecond;

    public static DateTimeOffset FromUnixMicroseconds(long microseconds) =>
        new(DateTime.UnixEpoch.Ticks + (microseconds * TicksPerMicrosecond), TimeSpan.Zero);

    /// <summary>A <c>timestamptz</c> read back by Npgsql as a UTC <see cref="DateTime"/>, with offset zero.</summary>
    public static DateTimeOffset FromUtcDateTime(DateTime utc) => new(DateTime.SpecifyKind(utc, DateTimeKind.Utc), TimeSpan.Zero);
}
