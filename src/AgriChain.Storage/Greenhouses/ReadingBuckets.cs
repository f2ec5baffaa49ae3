using System.Data.Common;
using AgriChain.Domain.Greenhouses;

namespace AgriChain.Storage.Greenhouses;

/// <summary>Bucket widths and the shape of a bucket row, shared by both databases.</summary>
internal static class ReadingBuckets
{
    public static long WidthInMilliseconds(BucketWidth width) => width switch
    {
        BucketWidth.Minute => 60_000,
        BucketWidth.Hour => 3_600_000,
        BucketWidth.Day => 86_400_000,
        _ => throw new ArgumentOutOfRangeException(nameof(width), width, "Buckets are a minute, an hour or a day wide; raw readings come from ReadAsync."),
    };

    /// <summary>
    /// Reads columns 1-7 of a bucket row: count, then min, avg, max of temperature, then of humidity (NULL when no
    /// reading of the bucket had humidity).
    /// </summary>
    public static ReadingBucket Read(DbDataReader reader, DateTimeOffset start)
    {
        var temperature = new Aggregate(reader.GetDouble(2), reader.GetDouble(3), reader.GetDouble(4));
        var humidity = reader.IsDBNull(6)
            ? null
            : new Aggregate(reader.GetDouble(5), reader.GetDouble(6), reader.GetDouble(7));
        return new ReadingBucket(start, checked((int)reader.GetInt64(1)), temperature, humidity);
    }
}
