package ledger

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

const claimDeliveriesQ = `
UPDATE webhook_deliveries d SET next_at = $2
FROM warnings w
WHERE w.id = d.warning_id AND d.id IN (
    SELECT id FROM webhook_deliveries
    WHERE delivered_at IS NULL AND next_at <= $1
    ORDER BY next_at, id LIMIT $3 FOR UPDATE SKIP LOCKED)
RETURNING d.id, d.attempts, w.created_at, w.id, w.kind, w.asset_id, w.project_id, w.region_code,
          to_char(w.fires_on, 'YYYY-MM-DD'), w.detail`

// claimDeliveries takes up to n due deliveries, holding them from other workers for claimFor.
func (s *Service) claimDeliveries(ctx context.Context, n int) ([]delivery, error) {
	now := s.now()
	rows, err := s.pool.Query(ctx, claimDeliveriesQ, now, now.Add(claimFor), n)
	if err != nil {
		return nil, fmt.Errorf("ledger: claim deliveries: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (delivery, error) {
		var d delivery
		w := &d.warning
		err := r.Scan(&d.id, &d.attempts, &d.opened, &w.ID, &w.Kind, &w.AssetID, &w.ProjectID, &w.RegionCode,
			&w.FiresOn, &w.Detail)
		return d, err
	})
}

const deliveredQ = `UPDATE webhook_deliveries SET attempts = attempts + 1, delivered_at = $2, last_error = '' WHERE id = $1`

const failedQ = `UPDATE webhook_deliveries SET attempts = attempts + 1, next_at = $2, last_error = $3 WHERE id = $1`

// recordDelivery stores an attempt's outcome: delivered, or the next try (never, once a day
// has passed since the warning opened).
func (s *Service) recordDelivery(ctx context.Context, d delivery, at time.Time, postErr error) error {
	var err error
	switch {
	case postErr == nil:
		_, err = s.pool.Exec(ctx, deliveredQ, d.id, at)
	case at.Sub(d.opened) > giveUpAfter:
		_, err = s.pool.Exec(ctx, failedQ, d.id, "infinity", "gave up after a day: "+postErr.Error())
	default:
		_, err = s.pool.Exec(ctx, failedQ, d.id, at.Add(retryAfter(d.attempts+1)), postErr.Error())
	}
	if err != nil {
		return fmt.Errorf("ledger: record delivery: %w", err)
	}
	return nil
}
