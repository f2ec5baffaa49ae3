using AgriChain.Domain.Common;

namespace AgriChain.Domain.Tests;

public sealed class FieldErrorsTests
{
    [Fact]
    public void RequireText_TrimsAndRejectsBlankLongAndControlCharacters()
    {
        var errors = new FieldErrors();
        Assert.Equal("Xibeizhuang", errors.RequireText("name", "  Xibeizhuang "));
        Assert.True(errors.IsEmpty);

        errors.RequireText("blank", "   ");
        errors.RequireText("long", new string('x', 201));
        errors.RequireText("control", "a\u0007b");
        var all = errors.ToDictionary();
        Assert.Equal(["is required"], all["blank"]);
        Assert.Equal(["must be at most 200 characters"], all["long"]);
        Assert.Equal(["must not contain control characters"], all["control"]);
    }

    [Fact]
    public void RequirePositive_RejectsMissingZeroNegativeAndTooLarge()
    {
        var errors = new FieldErrors();
        errors.RequirePositive("missing", null, 100);
        errors.RequirePositive("zero", 0, 100);
        errors.RequirePositive("negative", -1, 100);
        errors.RequirePositive("large", 100.01m, 100);
        Assert.Equal(2.5m, errors.RequirePositive("ok", 2.5m, 100));
        Assert.Equal(["missing", "zero", "negative", "large"], errors.ToDictionary().Keys);
    }

    [Fact]
    public void MessagesForOneFieldAccumulate()
    {
        var errors = new FieldErrors();
        errors.Add("readings[3].temperatureC", "is required");
        errors.Add("readings[3].temperatureC", "must be between -50 and 70");
        Assert.Equal(2, errors.ToDictionary()["readings[3].temperatureC"].Length);
        Assert.Equal(1, errors.Count);
    }
}
