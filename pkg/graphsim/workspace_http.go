package graphsim

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
)

// maxQueryBody bounds a query request's body; the contract's queries are a
// few kilobytes.
const maxQueryBody = 1 << 20

// queryRequest is a query request: the body of a POST, or the parameters of
// a GET.
type queryRequest struct {
	Query    string `json:"query"`
	Timespan string `json:"timespan"`
}

// serveWorkspaceQuery answers POST (or GET) /v1/workspaces/{id}/query.
func (s *Server) serveWorkspaceQuery(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost && r.Method != http.MethodGet {
		w.Header().Set("Allow", "GET, POST")
		s.writeWorkspaceError(w, r, http.StatusMethodNotAllowed, laErrorBody{Code: "MethodNotAllowed", Message: "The method '" + r.Method + "' is not allowed on this resource."})
		return
	}
	id := workspaceIDOf(r)
	if !s.workspace.has(id) {
		s.writeWorkspaceError(w, r, http.StatusNotFound, laErrorBody{Code: "WorkspaceNotFoundError", Message: "The workspace could not be found"})
		return
	}
	req, err := readQueryRequest(r)
	if err != nil {
		s.writeWorkspaceError(w, r, http.StatusBadRequest, badRequest("InvalidRequestBody", err.Error()))
		return
	}
	span, err := parseTimespan(req.Timespan, s.now())
	if err != nil {
		s.writeWorkspaceError(w, r, http.StatusBadRequest, badRequest("InvalidTimespan", "The timespan '"+req.Timespan+"' is not valid: "+err.Error()))
		return
	}
	body, err := s.workspace.run(req.Query, span, id, s.now())
	var srcErr *sourceError
	switch {
	case errors.As(err, &srcErr):
		s.writeWorkspaceError(w, r, http.StatusInternalServerError, laErrorBody{Code: "InternalServerError", Message: "graphsim source: " + err.Error()})
	case err != nil:
		s.writeWorkspaceError(w, r, http.StatusBadRequest, badQuery(err))
	default:
		s.stats.workspaceQuery(strings.ToLower(id))
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		w.WriteHeader(http.StatusOK)
		w.Write(body) // #nosec G705 -- a JSON body with its Content-Type, never HTML
	}
}

// readQueryRequest reads the query and timespan; a query is required.
func readQueryRequest(r *http.Request) (queryRequest, error) {
	var req queryRequest
	if r.Method == http.MethodGet {
		req.Query, req.Timespan = r.URL.Query().Get("query"), r.URL.Query().Get("timespan")
	} else {
		data, err := io.ReadAll(io.LimitReader(r.Body, maxQueryBody+1))
		switch {
		case err != nil:
			return req, errors.New("the request body could not be read: " + err.Error())
		case len(data) > maxQueryBody:
			return req, errors.New("the request body is larger than 1 MB")
		}
		if err := json.Unmarshal(data, &req); err != nil {
			return req, errors.New("the request body is not a JSON object with query and timespan: " + err.Error())
		}
	}
	if req.Query == "" {
		return req, errors.New("the request has no query")
	}
	return req, nil
}
