package assets

import (
	"context"
	"errors"
	"fmt"
	"regexp"

	"github.com/jackc/pgx/v5"

	"github.com/onemap/onemap/internal/problem"
)

// City is the place a deployment serves: a city (or a province of cities), named by its 6-digit
// 行政区划代码. The UI's title, the dashboard's headline and the 榜单 take it from here.
type City struct {
	Name  string `json:"name"`
	Code  string `json:"code"`
	Level string `json:"level"` // city or province
}

var cityCode = regexp.MustCompile(`^[0-9]{6}$`)

// Validate names the first field that cannot be stored.
func (c City) Validate() error {
	switch {
	case c.Name == "":
		return problem.Unprocessable("city-name", "is required, e.g. 衡阳市")
	case !cityCode.MatchString(c.Code):
		return problem.Unprocessable("city-code", "%q is not a 6-digit 行政区划代码 such as 430400", c.Code)
	case c.Level != "city" && c.Level != "province":
		return problem.Unprocessable("level", "%q is not city or province", c.Level)
	}
	return nil
}

// City returns the deployment's city; ErrNotFound before one is set.
func (s *Service) City(ctx context.Context) (City, error) {
	var c City
	err := s.pool.QueryRow(ctx, `SELECT name, code, level FROM deployment`).Scan(&c.Name, &c.Code, &c.Level)
	if errors.Is(err, pgx.ErrNoRows) {
		return c, fmt.Errorf("no city set (onemap init): %w", problem.ErrNotFound)
	}
	if err != nil {
		return c, fmt.Errorf("assets: city: %w", err)
	}
	return c, nil
}

// SetCity stores the deployment's city, replacing any before.
func (s *Service) SetCity(ctx context.Context, c City) error {
	if err := c.Validate(); err != nil {
		return err
	}
	const q = `INSERT INTO deployment (name, code, level) VALUES ($1, $2, $3)
ON CONFLICT (one) DO UPDATE SET name = EXCLUDED.name, code = EXCLUDED.code, level = EXCLUDED.level, updated_at = now()`
	if _, err := s.pool.Exec(ctx, q, c.Name, c.Code, c.Level); err != nil {
		return fmt.Errorf("assets: set city: %w", err)
	}
	return nil
}
