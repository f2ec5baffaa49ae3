namespace AgriChain.Storage;

/// <summary>One numbered schema script, as shipped under deploy/sql/&lt;provider&gt;/ and embedded in this assembly.</summary>
/// <param name="Version">The number the file name starts with; scripts apply in this order.</param>
/// <param name="Name">The file name, for example <c>002-persistence.sql</c>.</param>
/// <param name="Sql">The script text.</param>
public sealed record SchemaScript(int Version, string Name, string Sql);
