using AgriChain.Contracts.Greenhouses;
using AgriChain.Contracts.MasterData;
using AgriChain.Domain.Common;
using AgriChain.Domain.Greenhouses;
using AgriChain.Domain.MasterData;
using AgriChain.Grains.Diagnostics;
using AgriChain.Grains.MasterData;
using Microsoft.Extensions.Logging;

namespace AgriChain.Grains.Greenhouses;

/// <summary>
/// A greenhouse: master data, stage, and the running evaluation of its readings. The reading store is the log and
/// this grain's state a snapshot with a watermark (the last applied sequence number): on activation the grain
/// replays whatever was appended after its watermark, so a crash between the append and the state write loses
/// nothing. Readings never accumulate in state, and in-band readings do not write it each time (see
/// <see cref="SaveAfterReadings"/>): the watermark makes any reading the snapshot has not saved yet a replay.
/// </summary>
[GrainType("greenhouse")]
public sealed partial class GreenhouseGrain(
    [PersistentState("greenhouse")] IPersistentState<GreenhouseState> state,
    IReadingStore store,
    IAlertJournal journal,
    IAlertPublisher publisher,
    TimeProvider time,
    AgriChainInstruments instruments,
    ILogger<GreenhouseGrain> logger) : Grain, IGreenhouseGrain, IRemindable
{
    private const string SilenceReminder = "silence";
    private const int ReplayPage = 10_000;

    /// <summary>How often the silence reminder looks; the alert is dated from the moment silence began regardless.</summary>
    private static readonly TimeSpan SilenceCheckPeriod = TimeSpan.FromMinutes(2);

    /// <summary>A reading never counts for longer than this, so a data gap is not taken for hours of cold.</summary>
    private const int MaxHoldFloorMinutes = 5;

    /// <summary>
    /// In-band readings change only the snapshot (latest reading, exposure, watermark), which the reading store can
    /// rebuild: the state is written when alerts change, and otherwise after this many readings or
    /// <see cref="SaveAfter"/>, so a crash replays at most that much on the next activation.
    /// </summary>
    private const int SaveAfterReadings = 1_000;

    private const int MaxCachedSummaries = 256;

    /// <inheritdoc cref="SaveAfterReadings"/>
    private static readonly TimeSpan SaveAfter = TimeSpan.FromMinutes(1);

    private bool _silenceReminderKnown;
    private int _unsavedReadings;
    private ICropProfileGrain? _cropProfile;
    private string? _cropProfileCrop;
    private DateTimeOffset _savedAt;

    /// <summary>
    /// Condition summaries by harvest time, for traces that ask again and again about the same past crop cycles;
    /// dropped when alerts or stages change or a reading lands inside a summarised window.
    /// </summary>
    private readonly Dictionary<DateTimeOffset, (DateTimeOffset To, ConditionSummary Summary)> _summaries = [];

    private string Id => this.GetPrimaryKeyString();

    private ConditionState Conditions => state.State.Conditions;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (state.State.Profile is not null)
        {
            await ReplayAsync(cancellationToken);
            await CompletePendingHarvestAsync();
        }

        _savedAt = time.GetUtcNow();
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        // A graceful goodbye saves the replay; a crash leaves it to the watermark.
        if (_unsavedReadings > 0 && state.State.Profile is not null)
        {
            await state.WriteStateAsync(cancellationToken);
        }
    }

    public async Task<UpsertResult<GreenhouseView>> PutAsync(GreenhouseProfile profile)
    {
        var decision = MasterDataRules.Decide(state.State.Profile, profile);
        if (decision.Outcome == UpsertOutcome.Conflict)
        {
            return UpsertResult.Refused<GreenhouseView>(decision.Outcome, decision.Field!, decision.Detail!);
        }

        var farm = GrainFactory.GetGrain<IFarmGrain>(profile.FarmId);
        if (decision.Outcome == UpsertOutcome.Created)
        {
            var farmView = await farm.GetAsync();
            if (farmView is null)
            {
                return UpsertResult.Refused<GreenhouseView>(UpsertOutcome.MissingReference, "farmId",
                    $"Farm '{profile.FarmId}' does not exist.");
            }

            if (farmView.GreenhouseIds.Count >= FarmGrain.MaxGreenhouses)
            {
                return UpsertResult.Refused<GreenhouseView>(UpsertOutcome.Conflict, "farmId",
                    $"Farm '{profile.FarmId}' already has {FarmGrain.MaxGreenhouses} greenhouses.");
            }

            // The farm's cooperative never changes, so the greenhouse keeps it (and the farm's region) for scope
            // checks, rollups and notifications.
            state.State.CooperativeId = farmView.Profile.CooperativeId;
            state.State.Region = farmView.Profile.Region;
            state.State.TimeZone = farmView.Profile.TimeZone;
        }

        if (decision.Writes)
        {
            await state.WriteProfileAsync(profile, time);
            instruments.MasterDataWritten("greenhouse");
        }

        // Always (re)register: a repeated PUT heals a crash between our write and the farm's.
        await farm.AddGreenhouseAsync(Id);
        return new(decision.Outcome, View());
    }

    public Task<GreenhouseView?> GetAsync() => Task.FromResult(View());

    public async Task<IngestResult?> RecordReadingsAsync(IReadOnlyList<Reading> readings)
    {
        if (state.State.Profile is null)
        {
            return null;
        }

        var appended = await store.AppendAsync(Id, readings);
        var changes = await ApplyAsync(appended.Inserted);
        instruments.ReadingsIngested(appended.Inserted.Count);
        if (changes.Count == 0)
        {
            // Most requests change no alert; they share the empty lists.
            return new IngestResult(appended.Inserted.Count, appended.Duplicates, [], []);
        }

        return new IngestResult(appended.Inserted.Count, appended.Duplicates,
            changes.Where(c => c.Change == AlertChange.Opened).Select(c => c.Alert).ToList(),
            changes.Where(c => c.Change == AlertChange.Closed).Select(c => c.Alert).ToList());
    }

    public async Task<UpsertResult<GreenhouseView>> SetStageAsync(GrowthStage stage, DateTimeOffset since)
    {
        if (state.State.Profile is null)
        {
            return UpsertResult.Refused<GreenhouseView>(UpsertOutcome.MissingReference, "id", $"Greenhouse '{Id}' does not exist.");
        }

        if (state.State.Stage == stage && state.State.StageSince == since)
        {
            return new(UpsertOutcome.Unchanged, View());
        }

        if (state.State.StageSince is { } current && since < current)
        {
            return UpsertResult.Refused<GreenhouseView>(UpsertOutcome.Conflict, "since",
                $"The current stage began at {current:O}; a new stage cannot begin before it.");
        }

        if (state.State.Stage is { } previous)
        {
            state.State.StageHistory.Add(new StagePeriod(previous, state.State.StageSince!.Value, since, Conditions.StageExposure, Conditions.ChillMinutes));
            if (state.State.StageHistory.Count > GreenhouseState.MaxStageHistory)
            {
                state.State.StageHistory.RemoveAt(0);
            }
        }

        ForgetSummaries(changes: true);
        var changes = ConditionEvaluator.ChangeStage(Conditions, since).ToList();
        state.State.Stage = stage;
        state.State.StageSince = since;
        state.State.UpdatedAt = time.GetUtcNow();

        // Readings after `since` were judged against the old stage: judge them again against the new one.
        if (Conditions.Latest is { } latest && latest.At > since)
        {
            // Alerts that opened after the new stage began are judged again (or withdrawn) by the rebuild.
            changes.RemoveAll(c => c.Alert.OpenedAt >= since);
            changes.AddRange(await RebuildStageAsync());
        }

        await CommitAsync(changes);
        await EnsureSilenceReminderAsync();
        await PushYieldAsync();
        return new(UpsertOutcome.Updated, View());
    }

    public async Task<Alert?> AcknowledgeAsync(string alertId, string acknowledgedBy, string? note)
    {
        var now = time.GetUtcNow();
        var open = Conditions.OpenAlerts.Values.FirstOrDefault(a => a.Id == alertId);
        Alert acknowledged;
        if (open is not null)
        {
            acknowledged = open with { AcknowledgedBy = acknowledgedBy, AcknowledgedAt = now, AcknowledgementNote = note };
            Conditions.OpenAlerts[open.Kind] = acknowledged;
        }
        else if (await journal.GetAsync(alertId) is { } record && record.Alert.GreenhouseId == Id)
        {
            acknowledged = record.Alert with { AcknowledgedBy = acknowledgedBy, AcknowledgedAt = now, AcknowledgementNote = note };
        }
        else
        {
            return null;
        }

        await CommitAsync([(AlertChange.Acknowledged, acknowledged)]);
        return acknowledged;
    }

    public async Task<ConditionSummary?> GetConditionSummaryAsync(DateTimeOffset harvestedAt)
    {
        if (state.State.Profile is null)
        {
            return null;
        }

        if (_summaries.TryGetValue(harvestedAt, out var cached))
        {
            return cached.Summary;
        }

        // The flowering and fruit-set periods of the cycle that ended with this harvest: the latest ones that began before it.
        var periods = state.State.StageHistory
            .Append(state.State.Stage is { } stage ? new StagePeriod(stage, state.State.StageSince!.Value, DateTimeOffset.MaxValue, Conditions.StageExposure) : null)
            .OfType<StagePeriod>()
            .Where(p => p.Stage is GrowthStage.Flowering or GrowthStage.FruitSet && p.From <= harvestedAt)
            .GroupBy(p => p.Stage)
            .Select(g => g.MaxBy(p => p.From)!)
            .ToList();
        if (periods.Count == 0)
        {
            // Nobody recorded the stages of this crop: nothing vouches for its conditions.
            return new ConditionSummary(ColdExposure.None, false, true);
        }

        var exposure = periods.Aggregate(ColdExposure.None, (sum, p) => sum.Add(p.ColdExposure.MinutesBelowFloor, p.ColdExposure.DegreeMinutesBelowFloor));
        var from = periods.Min(p => p.From);
        var to = periods.Max(p => p.To < harvestedAt ? p.To : harvestedAt);
        var alerts = await journal.QueryAsync(new AlertQuery(AlertStateFilter.All, GreenhouseId: Id, Limit: 1000));
        var inWindow = alerts.Items.Select(r => r.Alert).Where(a => a.OpenedAt >= from && a.OpenedAt < to).ToList();
        var readingsInWindow = await store.ReadAsync(Id, from, to, 1);
        var summary = new ConditionSummary(
            exposure,
            ColdEvent: inWindow.Any(a => a.Kind == AlertKind.TemperatureBelowFloor),
            ConditionsUnverified: readingsInWindow.Count == 0 || inWindow.Any(a => a.Kind == AlertKind.SensorSilent));
        if (periods.TrueForAll(p => p.To != DateTimeOffset.MaxValue))
        {
            // A cycle that is still running keeps changing with every reading: only finished cycles are kept.
            if (_summaries.Count >= MaxCachedSummaries)
            {
                _summaries.Clear();
            }

            _summaries[harvestedAt] = (to, summary);
        }
        return summary;
    }

    /// <summary>Forgets cached summaries that <paramref name="changes"/> or readings from <paramref name="earliest"/> on could alter.</summary>
    private void ForgetSummaries(bool changes, DateTimeOffset? earliest = null)
    {
        if (changes || earliest is null)
        {
            _summaries.Clear();
            return;
        }

        foreach (var (harvestedAt, entry) in _summaries)
        {
            if (earliest < entry.To)
            {
                _summaries.Remove(harvestedAt);
            }
        }
    }

    public async Task CheckSilenceAsync()
    {
        if (state.State.Profile is null || state.State.Stage is not { } stage || !CropProfile.IsActive(stage))
        {
            return;
        }

        var profile = await GetCropProfileAsync();
        if (profile is null)
        {
            return;
        }

        var lastHeard = Max(Conditions.Latest?.At, state.State.StageSince);
        var opened = ConditionEvaluator.CheckSilence(Conditions, Id, stage, lastHeard!.Value, time.GetUtcNow(),
            TimeSpan.FromMinutes(profile.SilentAfterMinutes));
        if (opened is not null)
        {
            await CommitAsync([(AlertChange.Opened, opened)]);
        }
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != SilenceReminder)
        {
            return;
        }

        if (state.State.Stage is not { } stage || !CropProfile.IsActive(stage))
        {
            // Nothing to watch: stop waking this grain until the stage becomes active again.
            if (await this.GetReminder(SilenceReminder) is { } reminder)
            {
                await this.UnregisterReminder(reminder);
            }

            _silenceReminderKnown = false;
            return;
        }

        await CheckSilenceAsync();
    }

    /// <summary>Evaluates newly stored readings in time order, or re-evaluates the stage when some arrived late.</summary>
    private async Task<List<(AlertChange Change, Alert Alert)>> ApplyAsync(IReadOnlyList<StoredReading> inserted)
    {
        if (inserted.Count == 0)
        {
            return [];
        }

        var changes = new List<(AlertChange, Alert)>();
        var ordered = inserted.OrderBy(r => r.At).ThenBy(r => r.Sequence).ToList();
        var latestAt = Conditions.Latest?.At;
        var late = latestAt is not null && ordered[0].At < latestAt;
        if (late && (state.State.StageSince is null || ordered.Any(r => r.At < latestAt && r.At >= state.State.StageSince)))
        {
            // A reading older than the newest belongs between readings already judged: judge the stage again in
            // time order from the store, which now holds it.
            changes.AddRange(await RebuildStageAsync());
        }
        else
        {
            var (thresholds, maxHold) = Judging(await GetCropProfileAsync());
            foreach (var reading in ordered)
            {
                if (latestAt is null || reading.At >= latestAt)
                {
                    ConditionEvaluator.Apply(Conditions, Id, state.State.Stage, thresholds, reading.ToReading(), maxHold, changes);
                }
            }
        }

        // Readings from before the current stage began belong to a stage already closed: judge that stage's period
        // again (a gateway that was offline through the last nights of flowering still reports them).
        if (state.State.StageSince is { } stageStart && ordered[0].At < stageStart)
        {
            for (var i = 0; i < state.State.StageHistory.Count; i++)
            {
                var period = state.State.StageHistory[i];
                if (ordered.Any(r => r.At >= period.From && r.At < period.To))
                {
                    changes.AddRange(await RejudgePeriodAsync(i));
                }
            }
        }

        ForgetSummaries(changes.Count > 0, ordered[0].At);
        state.State.Watermark = Math.Max(state.State.Watermark, inserted.Max(r => r.Sequence));
        state.State.ReadingCount += inserted.Count;
        _unsavedReadings += inserted.Count;
        if (changes.Count > 0 || _unsavedReadings >= SaveAfterReadings || time.GetUtcNow() - _savedAt >= SaveAfter)
        {
            await CommitAsync(changes);
        }

        await EnsureSilenceReminderAsync();
        if (changes.Count > 0)
        {
            // Cold exposure only moves the forecast when a reading is out of range, which is when alerts change.
            await PushYieldAsync();
        }

        return changes;
    }

    /// <summary>The current stage's thresholds, and how long one reading may count for.</summary>
    private (StageThresholds Thresholds, TimeSpan MaxHold) Judging(CropProfile? profile) =>
        (profile is not null && state.State.Stage is { } stage ? profile.For(stage) : StageThresholds.Open,
            TimeSpan.FromMinutes(Math.Max(MaxHoldFloorMinutes, profile?.SilentAfterMinutes ?? 30)));

    /// <summary>
    /// Folds every stored reading of the current stage again, in time order. Alerts the fold reproduces keep their
    /// ids (ids derive from greenhouse, kind and opening time) and acknowledgements; alerts it no longer produces are
    /// withdrawn from the journal.
    /// </summary>
    private async Task<List<(AlertChange Change, Alert Alert)>> RebuildStageAsync()
    {
        ForgetSummaries(changes: true);
        var since = state.State.StageSince ?? DateTimeOffset.MinValue;
        var previousOpen = Conditions.OpenAlerts.Values.Where(a => a.OpenedAt >= since).ToDictionary(a => a.Id);
        var previousClosed = await journal.QueryAsync(new AlertQuery(AlertStateFilter.All, GreenhouseId: Id, Limit: 1000));
        var known = previousClosed.Items.Select(r => r.Alert).Where(a => a.OpenedAt >= since)
            .Concat(previousOpen.Values).GroupBy(a => a.Id).ToDictionary(g => g.Key, g => g.First());

        var carried = Conditions.OpenAlerts.Values.Where(a => a.OpenedAt < since).ToList();
        state.State.Conditions = new ConditionState();
        foreach (var alert in carried)
        {
            Conditions.OpenAlerts[alert.Kind] = alert;
        }

        var (thresholds, maxHold) = Judging(await GetCropProfileAsync());
        var produced = new Dictionary<string, (AlertChange Change, Alert Alert)>();
        var step = new List<(AlertChange Change, Alert Alert)>();
        var from = since;
        while (true)
        {
            var page = await store.ReadAsync(Id, from, DateTimeOffset.MaxValue, ReplayPage);
            foreach (var reading in page)
            {
                step.Clear();
                ConditionEvaluator.Apply(Conditions, Id, state.State.Stage, thresholds, reading.ToReading(), maxHold, step);
                foreach (var change in step)
                {
                    produced[change.Alert.Id] = change;
                }
            }

            if (page.Count < ReplayPage)
            {
                break;
            }

            // Pages end on a reading time; the next page starts just after it (readings of several sensors at the
            // very same instant are rare enough, and a duplicate instant is judged the same way again).
            from = page[^1].At.AddTicks(1);
        }

        var changes = new List<(AlertChange, Alert)>();
        foreach (var (id, change) in produced)
        {
            var alert = known.TryGetValue(id, out var before) && before.AcknowledgedAt is not null
                ? change.Alert with { AcknowledgedBy = before.AcknowledgedBy, AcknowledgedAt = before.AcknowledgedAt, AcknowledgementNote = before.AcknowledgementNote }
                : change.Alert;
            var current = Conditions.OpenAlerts.Values.FirstOrDefault(a => a.Id == id);
            if (current is not null)
            {
                Conditions.OpenAlerts[current.Kind] = current with
                {
                    AcknowledgedBy = alert.AcknowledgedBy,
                    AcknowledgedAt = alert.AcknowledgedAt,
                    AcknowledgementNote = alert.AcknowledgementNote,
                };
                alert = Conditions.OpenAlerts[current.Kind];
            }

            if (!known.TryGetValue(id, out var unchanged) || unchanged != alert)
            {
                changes.Add((alert.IsOpen ? AlertChange.Opened : AlertChange.Closed, alert));
            }
        }

        var withdrawn = known.Keys.Where(id => !produced.ContainsKey(id)).ToList();
        await WithdrawAlertsAsync(withdrawn.Select(id => known[id]).ToList(), since);
        LogRebuilt(logger, Id, produced.Count, withdrawn.Count);
        return changes;
    }

    /// <summary>
    /// Folds the stored readings of a past stage period (<see cref="GreenhouseState.StageHistory"/>[<paramref name="index"/>])
    /// again, with that stage's thresholds, because late readings landed in it: its alerts (each closed at the period's
    /// end at the latest, as the stage change closed them; acknowledgements kept, alerts no longer produced withdrawn)
    /// and its cold exposure and chill. Silence alerts are not re-judged: they were judged as time passed.
    /// </summary>
    private async Task<List<(AlertChange Change, Alert Alert)>> RejudgePeriodAsync(int index)
    {
        var period = state.State.StageHistory[index];
        var profile = await GetCropProfileAsync();
        var thresholds = profile?.For(period.Stage) ?? StageThresholds.Open;
        var (_, maxHold) = Judging(profile);
        var fold = new ConditionState();
        var produced = new Dictionary<string, Alert>(StringComparer.Ordinal);
        var step = new List<(AlertChange Change, Alert Alert)>();
        var from = period.From;
        while (true)
        {
            var page = await store.ReadAsync(Id, from, period.To, ReplayPage);
            foreach (var reading in page)
            {
                step.Clear();
                ConditionEvaluator.Apply(fold, Id, period.Stage, thresholds, reading.ToReading(), maxHold, step);
                foreach (var (_, alert) in step)
                {
                    produced[alert.Id] = alert;
                }
            }

            if (page.Count < ReplayPage)
            {
                break;
            }

            from = page[^1].At.AddTicks(1);
        }

        state.State.StageHistory[index] = period with { ColdExposure = fold.StageExposure, ChillMinutes = fold.ChillMinutes };
        foreach (var (_, alert) in ConditionEvaluator.ChangeStage(fold, period.To))
        {
            produced[alert.Id] = alert;
        }

        var known = (await journal.QueryAsync(new AlertQuery(AlertStateFilter.All, GreenhouseId: Id, Limit: 1000))).Items
            .Select(r => r.Alert)
            .Where(a => a.Kind != AlertKind.SensorSilent && a.OpenedAt >= period.From && a.OpenedAt < period.To)
            .GroupBy(a => a.Id).ToDictionary(g => g.Key, g => g.First());
        var changes = new List<(AlertChange, Alert)>();
        foreach (var (id, produce) in produced)
        {
            var alert = known.TryGetValue(id, out var before) && before.AcknowledgedAt is not null
                ? produce with { AcknowledgedBy = before.AcknowledgedBy, AcknowledgedAt = before.AcknowledgedAt, AcknowledgementNote = before.AcknowledgementNote }
                : produce;
            if (before is null || before != alert)
            {
                changes.Add((alert.IsOpen ? AlertChange.Opened : AlertChange.Closed, alert));
            }
        }

        var withdrawn = known.Values.Where(a => !produced.ContainsKey(a.Id)).ToList();
        await WithdrawAlertsAsync(withdrawn, period.To);
        LogRejudged(logger, Id, period.Stage, period.From, produced.Count, withdrawn.Count);
        return changes;
    }

    /// <summary>Takes alerts a new judgement no longer produces out of the journal and the alert rollups.</summary>
    private async Task WithdrawAlertsAsync(List<Alert> withdrawn, DateTimeOffset closedAtLatest)
    {
        if (withdrawn.Count == 0)
        {
            return;
        }

        await journal.DeleteAsync(withdrawn.Select(a => a.Id).ToList());
        var locations = Location();
        foreach (var rollup in AlertRollupKeys.For(locations))
        {
            await GrainFactory.GetGrain<IAlertRollupGrain>(rollup).ApplyAsync(
                withdrawn.Select(a => new AlertRecord(a with { ClosedAt = a.ClosedAt ?? closedAtLatest }, locations)).ToList());
        }
    }

    /// <summary>Catches up with readings appended after the watermark (a crash between append and state write).</summary>
    private async Task ReplayAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var missed = await store.ReadAfterAsync(Id, state.State.Watermark, ReplayPage, cancellationToken);
            if (missed.Count == 0)
            {
                break;
            }

            LogReplaying(logger, Id, missed.Count, state.State.Watermark);
            await ApplyAsync(missed);
        }

        // Events written with the state but not yet handed over (a crash right after the write) go out now.
        if (state.State.PendingEvents.Count > 0)
        {
            await PublishPendingAsync();
        }
    }

    /// <summary>
    /// Makes alert changes durable and visible, in an order that survives a crash at any point: the journal first
    /// (idempotent by id), then the state (with the events to publish), then the rollups and the publisher.
    /// </summary>
    private async Task CommitAsync(IReadOnlyList<(AlertChange Change, Alert Alert)> changes)
    {
        var location = Location();
        if (changes.Count > 0)
        {
            ForgetSummaries(changes: true);
            var latest = changes.GroupBy(c => c.Alert.Id).Select(g => g.Last().Alert).ToList();
            await journal.UpsertAsync(latest.Select(a => new AlertRecord(a, location)).ToList());
            foreach (var change in changes)
            {
                state.State.PendingEvents.Add(new AlertEvent(change.Change, change.Alert, location));
            }

            if (state.State.PendingEvents.Count > GreenhouseState.MaxPendingEvents)
            {
                state.State.PendingEvents.RemoveRange(0, state.State.PendingEvents.Count - GreenhouseState.MaxPendingEvents);
            }

            instruments.AlertsOpened(changes.Count(c => c.Change == AlertChange.Opened));
        }

        await state.WriteStateAsync();
        _unsavedReadings = 0;
        _savedAt = time.GetUtcNow();
        if (changes.Count > 0)
        {
            var records = changes.GroupBy(c => c.Alert.Id).Select(g => new AlertRecord(g.Last().Alert, location)).ToList();
            await Task.WhenAll(AlertRollupKeys.For(location)
                .Select(key => GrainFactory.GetGrain<IAlertRollupGrain>(key).ApplyAsync(records)));
            await PublishPendingAsync();
        }
    }

    private async Task PublishPendingAsync()
    {
        var pending = state.State.PendingEvents.ToList();
        await publisher.PublishAsync(pending);

        // Published: forget them with the next state write (a crash before it republishes, which dedupes by event id).
        state.State.PendingEvents.RemoveRange(0, pending.Count);
    }

    private async Task EnsureSilenceReminderAsync()
    {
        if (_silenceReminderKnown || state.State.Stage is not { } stage || !CropProfile.IsActive(stage))
        {
            return;
        }

        if (await this.GetReminder(SilenceReminder) is null)
        {
            // The first tick at a point of the period of this greenhouse's own, so that greenhouses staged together
            // (a village, a county) do not all check, and maybe all open an alert, in the same second ever after.
            var phase = TimeSpan.FromTicks((long)((uint)Id.GetHashCode() % (ulong)SilenceCheckPeriod.Ticks));
            await this.RegisterOrUpdateReminder(SilenceReminder, phase, SilenceCheckPeriod);
        }

        _silenceReminderKnown = true;
    }

    private Task<CropProfile?> GetCropProfileAsync()
    {
        // The reference is kept: resolving a grain interface by reflection on every ingest showed in profiles.
        var crop = state.State.Profile!.Crop;
        if (_cropProfile is null || _cropProfileCrop != crop)
        {
            _cropProfile = GrainFactory.GetGrain<ICropProfileGrain>(crop);
            _cropProfileCrop = crop;
        }

        return _cropProfile.GetAsync();
    }

    private GreenhouseLocation Location() =>
        new(Id, state.State.Profile!.FarmId, state.State.CooperativeId, state.State.Region ?? new Region("", "", ""));

    private GreenhouseView? View()
    {
        if (state.State.Profile is not { } profile)
        {
            return null;
        }

        var open = Conditions.OpenAlerts.Values.OrderBy(a => a.OpenedAt).ToList();
        var status = Conditions.OpenAlerts.ContainsKey(AlertKind.SensorSilent) ? GreenhouseStatus.Silent
            : open.Count > 0 ? GreenhouseStatus.Alert
            : Conditions.Latest is null ? GreenhouseStatus.Unknown
            : GreenhouseStatus.Ok;
        return new GreenhouseView(Id, profile, state.State.CooperativeId, state.State.Stage, state.State.StageSince,
            state.State.CreatedAt, state.State.UpdatedAt, state.State.Region, Conditions.Latest, open,
            Conditions.StageExposure, status, ChillHours());
    }

    private static DateTimeOffset? Max(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a > b ? a : b;

    [LoggerMessage(Level = LogLevel.Information, Message = "Greenhouse {GreenhouseId} replays {Count} readings after sequence {Watermark}")]
    private static partial void LogReplaying(ILogger logger, string greenhouseId, int count, long watermark);

    [LoggerMessage(Level = LogLevel.Information, Message = "Greenhouse {GreenhouseId} re-evaluated its stage: {Produced} alerts, {Withdrawn} withdrawn")]
    private static partial void LogRebuilt(ILogger logger, string greenhouseId, int produced, int withdrawn);

    [LoggerMessage(Level = LogLevel.Information, Message = "Greenhouse {GreenhouseId} re-judged its {Stage} period from {From}: {Produced} alerts, {Withdrawn} withdrawn")]
    private static partial void LogRejudged(ILogger logger, string greenhouseId, GrowthStage stage, DateTimeOffset from, int produced, int withdrawn);
}

/// <summary>A past stage of the greenhouse and its cold exposure.</summary>
[GenerateSerializer, Immutable, Alias("agrichain.stage-period")]
public sealed record StagePeriod(
    [property: Id(0)] GrowthStage Stage,
    [property: Id(1)] DateTimeOffset From,
    [property: Id(2)] DateTimeOffset To,
    [property: Id(3)] ColdExposure ColdExposure,
    [property: Id(4)] double ChillMinutes = 0);

[GenerateSerializer, Alias("agrichain.greenhouse-state")]
public sealed class GreenhouseState : IProfileState<GreenhouseProfile>
{
    public const int MaxStageHistory = 40;
    public const int MaxPendingEvents = 1_000;

    [Id(0)] public GreenhouseProfile? Profile { get; set; }
    [Id(1)] public string CooperativeId { get; set; } = string.Empty;
    [Id(2)] public GrowthStage? Stage { get; set; }
    [Id(3)] public DateTimeOffset? StageSince { get; set; }
    [Id(4)] public DateTimeOffset CreatedAt { get; set; }
    [Id(5)] public DateTimeOffset UpdatedAt { get; set; }
    [Id(6)] public Region? Region { get; set; }
    [Id(7)] public ConditionState Conditions { get; set; } = new();
    [Id(8)] public long Watermark { get; set; }
    [Id(9)] public long ReadingCount { get; set; }
    [Id(10)] public List<StagePeriod> StageHistory { get; set; } = [];
    [Id(11)] public List<AlertEvent> PendingEvents { get; set; } = [];
    [Id(12)] public string TimeZone { get; set; } = FarmProfile.DefaultTimeZone;
    [Id(13)] public Dictionary<string, Contracts.Yields.GreenhouseHarvest> Harvests { get; set; } = new(StringComparer.Ordinal);
    [Id(14)] public Contracts.Yields.GreenhouseHarvest? PendingHarvest { get; set; }
    [Id(15)] public Dictionary<int, decimal> HarvestedKgBySeason { get; set; } = [];
    [Id(16)] public Dictionary<int, decimal> PushedForecastKg { get; set; } = [];
}
