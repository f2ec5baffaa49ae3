using System.Text.Json.Nodes;
using AgriChain.Domain.Greenhouses;
using AgriChain.Domain.Traceability;

namespace AgriChain.Domain.Epcis;

/// <summary>A batch as the EPCIS mapping needs it.</summary>
public sealed record LineageBatch(
    string Id,
    BatchSpec Spec,
    IReadOnlyList<LineageLink> Parents,
    IReadOnlyList<LineageLink> Children,
    IReadOnlyList<BatchEvent> Events,
    DateTimeOffset CreatedAt);

/// <summary>A below-floor alert of a harvest's greenhouse, with the readings it spanned.</summary>
public sealed record ColdSpell(Alert Alert, string Crop, IReadOnlyList<StoredReading> Readings);

/// <summary>
/// What an export is made from: the batches whose events it shows (<see cref="Shown"/>), every batch a split, merge or
/// processing run of theirs took from or made (so that each such operation is one whole event), the farms' time
/// zones, and the cold spells of each harvest's greenhouse.
/// </summary>
public sealed record LineageSnapshot(
    IReadOnlySet<string> Shown,
    IReadOnlyDictionary<string, LineageBatch> Batches,
    IReadOnlyDictionary<string, TimeZoneInfo> FarmZones,
    IReadOnlyDictionary<string, IReadOnlyList<ColdSpell>> ColdSpells,
    string? OnlyShipmentsTo = null);

/// <summary>
/// Turns a batch lineage into EPCIS 2.0 events, each with its content-derived eventID, in time order (ties by id):
/// <list type="bullet">
/// <item>a harvest (a batch with no parents): ObjectEvent ADD, bizStep <c>commissioning</c>, disposition <c>active</c>,
/// its lot and quantity, the greenhouse (or farm) as readPoint and bizLocation, lot data in <c>ilmd</c>, and the
/// greenhouse's below-floor alerts of the year before the harvest as <c>sensorElementList</c>;</item>
/// <item>a split, merge or processing run: one TransformationEvent (bizStep <c>commissioning</c>, disposition
/// <c>active</c>) with the input lots and the output lots as quantity lists and the operation as transformationID.
/// New lots are made (each part or output gets its own id), so GS1's guidance is a transformation, not an
/// aggregation: AggregationEvent is for physical containment (cases on a pallet) under an instance-level parent;</item>
/// <item>inspections (<c>inspecting</c>, <c>conformant</c>/<c>non_conformant</c>), storing, shipping (<c>in_transit</c>,
/// the cooperative as source and the buyer as destination, owning parties), receiving and retail selling:
/// ObjectEvent OBSERVE with the lot.</item>
/// </list>
/// </summary>
public static class LineageEvents
{
    private const string Celsius = "CEL";

    public static IReadOnlyList<JsonObject> Map(LineageSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var zones = new Dictionary<string, TimeZoneInfo>(StringComparer.Ordinal);
        var events = new List<JsonObject>();
        foreach (var id in snapshot.Shown.Order(StringComparer.Ordinal))
        {
            if (!snapshot.Batches.TryGetValue(id, out var batch))
            {
                continue;
            }

            var zone = ZoneOf(batch, snapshot, zones, 0);
            if (batch.Parents.Count == 0)
            {
                events.Add(Commissioning(batch, zone, snapshot.ColdSpells.GetValueOrDefault(id) ?? []));
            }

            foreach (var batchEvent in batch.Events)
            {
                if (batchEvent.Type == BatchEventType.Shipped && snapshot.OnlyShipmentsTo is { } buyer && batchEvent.BuyerId != buyer)
                {
                    continue;
                }

                // An abandoned processing run has no business step of its own in CBV: its inputs' lineage keeps it,
                // the partner's document does not.
                if (batchEvent.Type == BatchEventType.Abandoned)
                {
                    continue;
                }

                events.Add(Business(batch, batchEvent, zone));
            }
        }

        foreach (var operation in Operations(snapshot))
        {
            events.Add(Transformation(operation, snapshot, zones));
        }

        var prefixes = new Dictionary<string, string>(StringComparer.Ordinal) { [EpcisIdentifiers.VocabularyPrefix] = EpcisIdentifiers.VocabularyNamespace };
        var withIds = events.Select(e => (Id: EpcisEventHash.Compute(e, prefixes), Event: e))
            .DistinctBy(e => e.Id, StringComparer.Ordinal)
            .OrderBy(e => (string)e.Event["eventTime"]!, StringComparer.Ordinal)
            .ThenBy(e => e.Id, StringComparer.Ordinal)
            .ToList();
        return withIds.Select(e => WithId(e.Event, e.Id)).ToList();
    }

    private static JsonObject Commissioning(LineageBatch batch, TimeZoneInfo zone, IReadOnlyList<ColdSpell> spells)
    {
        var origin = batch.Spec.Origin;
        var at = origin?.HarvestedAt ?? batch.CreatedAt;
        var e = Header(EpcisVocabulary.ObjectEvent, at, zone);
        e["quantityList"] = new JsonArray(Quantity(batch, batch.Spec.Quantity));
        e["action"] = "ADD";
        e["bizStep"] = "commissioning";
        e["disposition"] = "active";
        if (origin is not null)
        {
            var place = origin.GreenhouseId is { } gh ? EpcisIdentifiers.Greenhouse(gh) : EpcisIdentifiers.Farm(origin.FarmId);
            e["readPoint"] = new JsonObject { ["id"] = place };
            e["bizLocation"] = new JsonObject { ["id"] = place };
        }

        var ordered = spells.OrderBy(s => s.Alert.OpenedAt).ThenBy(s => s.Alert.Id, StringComparer.Ordinal).ToList();
        if (ordered.Count > 0)
        {
            e["sensorElementList"] = new JsonArray(ordered.Select(s => (JsonNode)SensorElement(s)).ToArray());
        }

        var ilmd = new JsonObject
        {
            [EpcisIdentifiers.Field("product")] = batch.Spec.Product,
            [EpcisIdentifiers.Field("owner")] = EpcisIdentifiers.Cooperative(batch.Spec.OwnerId),
        };
        if (batch.Spec.Grade is { } grade)
        {
            ilmd[EpcisIdentifiers.Field("grade")] = grade;
        }

        if (origin is not null)
        {
            ilmd[EpcisIdentifiers.Field("farm")] = EpcisIdentifiers.Farm(origin.FarmId);
            if (origin.Plot is { } plot)
            {
                ilmd[EpcisIdentifiers.Field("plot")] = plot;
            }
        }

        e["ilmd"] = ilmd;
        return e;
    }

    /// <summary>One below-floor alert: its span, the floor (the crop profile's rule), the worst and every reading.</summary>
    private static JsonObject SensorElement(ColdSpell spell)
    {
        var alert = spell.Alert;
        var readings = spell.Readings.OrderBy(r => r.At).ThenBy(r => r.SensorId, StringComparer.Ordinal).ToList();
        var metadata = new JsonObject { ["startTime"] = EpcisVocabulary.Time(alert.OpenedAt) };
        var end = alert.ClosedAt ?? (readings.Count > 0 ? readings[^1].At : (DateTimeOffset?)null);
        if (end is { } endTime)
        {
            metadata["endTime"] = EpcisVocabulary.Time(endTime);
        }

        if (alert.Stage is { } stage)
        {
            metadata["bizRules"] = EpcisIdentifiers.TemperatureFloorRule(spell.Crop, stage.ToString().ToLowerInvariant());
        }

        var summary = new JsonObject
        {
            ["type"] = "Temperature",
            ["exception"] = "ALARM_CONDITION",
        };
        if (alert.WorstValue is { } worst)
        {
            summary["minValue"] = Number(worst);
        }

        summary["uom"] = Celsius;
        if (alert.Threshold is { } threshold)
        {
            summary[EpcisIdentifiers.Field("threshold")] = Number(threshold);
        }

        summary[EpcisIdentifiers.Field("minutesBelowThreshold")] = Number(alert.MinutesOutOfRange);
        summary[EpcisIdentifiers.Field("degreeMinutesBelowThreshold")] = Number(alert.DegreeMinutes);
        var reports = new JsonArray(summary);
        foreach (var reading in readings)
        {
            reports.Add(new JsonObject
            {
                ["type"] = "Temperature",
                ["deviceID"] = EpcisIdentifiers.Sensor(alert.GreenhouseId, reading.SensorId),
                ["time"] = EpcisVocabulary.Time(reading.At),
                ["value"] = Number(reading.TemperatureC),
                ["uom"] = Celsius,
            });
        }

        return new JsonObject { ["sensorMetadata"] = metadata, ["sensorReport"] = reports };
    }

    private static JsonObject Business(LineageBatch batch, BatchEvent batchEvent, TimeZoneInfo zone)
    {
        var e = Header(EpcisVocabulary.ObjectEvent, batchEvent.At, zone);
        var lot = batchEvent.Quantity is { } quantity ? Quantity(batch, quantity) : new JsonObject { ["epcClass"] = Lot(batch) };
        e["quantityList"] = new JsonArray(lot);
        e["action"] = "OBSERVE";
        var (bizStep, disposition) = batchEvent.Type switch
        {
            BatchEventType.Inspected => ("inspecting", batchEvent.Result == "failed" ? "non_conformant" : "conformant"),
            BatchEventType.Stored => ("storing", "sellable_not_accessible"),
            BatchEventType.Shipped => ("shipping", "in_transit"),
            BatchEventType.Received => ("receiving", "in_progress"),
            BatchEventType.Sold => ("retail_selling", "retail_sold"),
            BatchEventType.Deviation => ("inspecting", "non_conformant"),
            BatchEventType.Held => ("inspecting", "non_sellable_other"),
            BatchEventType.Released => ("inspecting", "sellable_accessible"),
            _ => throw new ArgumentOutOfRangeException(nameof(batchEvent), batchEvent.Type, "No EPCIS mapping for this batch event."),
        };
        e["bizStep"] = bizStep;
        e["disposition"] = disposition;
        if (batchEvent.Type == BatchEventType.Shipped && batchEvent.BuyerId is { } buyer)
        {
            e["sourceList"] = new JsonArray(new JsonObject { ["type"] = "owning_party", ["source"] = EpcisIdentifiers.Cooperative(batch.Spec.OwnerId) });
            e["destinationList"] = new JsonArray(new JsonObject { ["type"] = "owning_party", ["destination"] = EpcisIdentifiers.Buyer(buyer) });
        }

        e[EpcisIdentifiers.Field("eventId")] = batchEvent.Id;
        if (batchEvent.Result is { } result)
        {
            e[EpcisIdentifiers.Field("result")] = result;
        }

        if (batchEvent.Location is { } location)
        {
            e[EpcisIdentifiers.Field("location")] = location;
        }

        if (batchEvent.Note is { } note)
        {
            e[EpcisIdentifiers.Field("note")] = note;
        }

        return e;
    }

    private sealed record Operation(string Id, EdgeKind Kind, SortedDictionary<string, decimal> Inputs, SortedSet<string> Outputs);

    /// <summary>Every operation that took from or made a shown batch, whole: all its inputs and all its outputs.</summary>
    private static IEnumerable<Operation> Operations(LineageSnapshot snapshot)
    {
        var ids = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var id in snapshot.Shown)
        {
            if (snapshot.Batches.TryGetValue(id, out var batch))
            {
                ids.UnionWith(batch.Parents.Select(p => p.OperationId));
                ids.UnionWith(batch.Children.Select(c => c.OperationId));
            }
        }

        foreach (var operationId in ids)
        {
            var inputs = new SortedDictionary<string, decimal>(StringComparer.Ordinal);
            var outputs = new SortedSet<string>(StringComparer.Ordinal);
            EdgeKind? kind = null;
            foreach (var batch in snapshot.Batches.Values)
            {
                foreach (var parent in batch.Parents.Where(p => p.OperationId == operationId))
                {
                    outputs.Add(batch.Id);
                    kind = parent.Kind;
                    if (parent.Kind != EdgeKind.Split)
                    {
                        inputs[parent.BatchId] = parent.Quantity;
                    }
                }

                var children = batch.Children.Where(c => c.OperationId == operationId).ToList();
                if (children.Count > 0)
                {
                    kind = children[0].Kind;
                    outputs.UnionWith(children.Select(c => c.BatchId));
                    // A split's parent gave each part its quantity; other operations took one quantity from each input.
                    inputs[batch.Id] = children[0].Kind == EdgeKind.Split ? children.Sum(c => c.Quantity) : children[0].Quantity;
                }
            }

            if (kind is { } k && inputs.Count > 0 && outputs.Count > 0)
            {
                yield return new Operation(operationId, k, inputs, outputs);
            }
        }
    }

    private static JsonObject Transformation(Operation operation, LineageSnapshot snapshot, Dictionary<string, TimeZoneInfo> zones)
    {
        var outputs = operation.Outputs.Select(id => snapshot.Batches.GetValueOrDefault(id)).OfType<LineageBatch>().ToList();
        var at = outputs.Count > 0 ? outputs.Min(o => o.CreatedAt) : DateTimeOffset.UnixEpoch;
        var zone = outputs.Count > 0 ? ZoneOf(outputs[0], snapshot, zones, 0) : EpcisVocabulary.ZoneOrDefault(null);
        var e = Header(EpcisVocabulary.TransformationEvent, at, zone);
        e["inputQuantityList"] = new JsonArray(operation.Inputs
            .Select(i => (JsonNode)(snapshot.Batches.TryGetValue(i.Key, out var input)
                ? Quantity(input, i.Value)
                : new JsonObject { ["epcClass"] = LotOf(operation, i.Key, snapshot), ["quantity"] = Number(i.Value) }))
            .ToArray());
        e["outputQuantityList"] = new JsonArray(outputs.Select(o => (JsonNode)Quantity(o, o.Spec.Quantity)).ToArray());
        e["transformationID"] = EpcisIdentifiers.Operation(operation.Id);
        e["bizStep"] = "commissioning";
        e["disposition"] = "active";
        e[EpcisIdentifiers.Field("operation")] = operation.Kind.ToString().ToLowerInvariant();
        return e;
    }

    /// <summary>An input batch the snapshot lacks keeps the product of the outputs (a split or merge never changes it).</summary>
    private static string LotOf(Operation operation, string batchId, LineageSnapshot snapshot)
    {
        var product = operation.Outputs.Select(id => snapshot.Batches.GetValueOrDefault(id)?.Spec.Product).FirstOrDefault(p => p is not null) ?? "unknown";
        return EpcisIdentifiers.Lot(product, batchId);
    }

    /// <summary>The time zone of the farm a batch came from; a batch made from others takes its first parent's.</summary>
    private static TimeZoneInfo ZoneOf(LineageBatch batch, LineageSnapshot snapshot, Dictionary<string, TimeZoneInfo> memo, int depth)
    {
        if (memo.TryGetValue(batch.Id, out var known))
        {
            return known;
        }

        TimeZoneInfo zone;
        if (batch.Spec.Origin is { } origin)
        {
            zone = snapshot.FarmZones.GetValueOrDefault(origin.FarmId) ?? EpcisVocabulary.ZoneOrDefault(null);
        }
        else
        {
            var parent = batch.Parents.Select(p => p.BatchId).Order(StringComparer.Ordinal)
                .Select(id => snapshot.Batches.GetValueOrDefault(id)).FirstOrDefault(p => p is not null);
            zone = parent is not null && depth < 100 ? ZoneOf(parent, snapshot, memo, depth + 1) : EpcisVocabulary.ZoneOrDefault(null);
        }

        memo[batch.Id] = zone;
        return zone;
    }

    private static JsonObject Header(string type, DateTimeOffset at, TimeZoneInfo zone) => new()
    {
        ["type"] = type,
        ["eventTime"] = EpcisVocabulary.Time(at),
        ["eventTimeZoneOffset"] = EpcisVocabulary.TimeZoneOffset(zone, at),
    };

    /// <summary>The event with its id placed after its type, where readers look for it.</summary>
    private static JsonObject WithId(JsonObject e, string eventId)
    {
        var result = new JsonObject { ["type"] = e["type"]!.DeepClone(), ["eventID"] = eventId };
        foreach (var (name, value) in e.Where(p => p.Key != "type").ToList())
        {
            e.Remove(name);
            result[name] = value;
        }

        return result;
    }

    private static JsonObject Quantity(LineageBatch batch, decimal quantity)
    {
        var element = new JsonObject { ["epcClass"] = Lot(batch), ["quantity"] = Number(quantity) };
        if (EpcisVocabulary.UnitOfMeasure(batch.Spec.Unit) is { } uom)
        {
            element["uom"] = uom;
        }

        return element;
    }

    private static string Lot(LineageBatch batch) => EpcisIdentifiers.Lot(batch.Spec.Product, batch.Id);

    private static JsonValue Number(decimal value) => JsonValue.Create(EpcisVocabulary.Normalise(value));

    private static JsonValue Number(double value) => JsonValue.Create(EpcisVocabulary.Normalise((decimal)Math.Round(value, 6)));
}
