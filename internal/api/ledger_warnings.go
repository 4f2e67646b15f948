package api

import "github.com/gofiber/fiber/v2"

func (h *ledgerRoutes) mountWarnings(fiber.Router) {}
