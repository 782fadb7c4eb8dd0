using System.Data.Common;

namespace SuperApp.Data;

/// <summary>Named parameters for the few hand-written statements sent on the DbContext's connection.</summary>
public static class SqlParameters
{
    public static void AddValues(this DbParameterCollection parameters, Func<DbParameter> create,
        IEnumerable<(string Name, object? Value)> values)
    {
        foreach (var (name, value) in values)
        {
            var parameter = create();
            parameter.ParameterName = name;
            parameter.Value = value ?? DBNull.Value;
            parameters.Add(parameter);
        }
    }
}
