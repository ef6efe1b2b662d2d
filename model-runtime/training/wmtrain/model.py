"""Model 2.0: a GRU working memory with a next-token head and a fact-tagger head.

The tagger reads the GRU's per-token outputs: the tag of token t comes from the outputs at t, t+1 and t+2 of the
same utterance (LOOKAHEAD = 2), so "7" in "for 7 people" can be told from "7" in "at 7 pm". Outputs after an
utterance's end count as zeros, in training as in the exported graph, where a row holds one utterance (or one
chunk of it) and the GRU's outputs after a row's length are zero.
"""
import torch
import torch.nn as nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

LOOKAHEAD = 2


class WorkingMemoryModel(nn.Module):
    def __init__(self, vocab, emb, hidden, tag_classes, dropout):
        super().__init__()
        assert emb == hidden, "tied embeddings need emb == hidden"
        self.emb = nn.Embedding(vocab, emb)
        self.gru = nn.GRU(emb, hidden, 1, batch_first=True)
        self.proj = nn.Linear(hidden, vocab)
        self.proj.weight = self.emb.weight
        self.tagger = nn.Linear(hidden * (1 + LOOKAHEAD), tag_classes)
        self.drop = nn.Dropout(dropout)
        self.hidden = hidden
        nn.init.normal_(self.emb.weight, std=0.05)
        nn.init.zeros_(self.proj.bias)

    def zero_state(self, batch, device=None):
        return torch.zeros(1, batch, self.hidden, device=device)

    def tag_logits(self, outputs, remaining):
        """outputs [B,T,H]; remaining [B,T]: tokens of the same utterance after t (None: all of the row)."""
        shifted = [outputs]
        for d in range(1, LOOKAHEAD + 1):
            # zeros appended, then the first d dropped: length T for every T, also T < d (a traced min(d, T)
            # would freeze into the graph and break one-token calls)
            nxt = torch.cat([outputs, outputs.new_zeros(outputs.shape[0], d, outputs.shape[2])], dim=1)[:, d:]
            if remaining is not None:
                nxt = nxt * (remaining >= d).unsqueeze(2).to(nxt.dtype)
            shifted.append(nxt)
        return self.tagger(torch.cat(shifted, dim=2))

    def forward(self, x, h, remaining=None):
        """Training and evaluation: x [B,T] token ids -> next-token logits [B,T,V], state, tag logits [B,T,K]."""
        o, h = self.gru(self.drop(self.emb(x)), h)
        o = self.drop(o)
        return self.proj(o), h, self.tag_logits(o, remaining)


class StepGraph(nn.Module):
    """The exported step: tokens [B,T] int64, lengths [B] int64, state [1,B,H] float32 -> logits [B,V] after each
    row's last real position, state_out [1,B,H], tags [B,T,K] (tag logits of every position; after a row's length
    they are meaningless)."""

    def __init__(self, model):
        super().__init__()
        self.m = model

    def forward(self, tokens, lengths, state):
        e = self.m.emb(tokens)
        packed = pack_padded_sequence(e, lengths, batch_first=True, enforce_sorted=False)
        out, h = self.m.gru(packed, state)
        o, _ = pad_packed_sequence(out, batch_first=True, total_length=tokens.shape[1])
        return self.m.proj(h[-1]), h, self.m.tag_logits(o, None)


class StateHeads(nn.Module):
    """Model 3.0's dialogue-state heads on the GRU's outputs (state.py). `slots` per token: K slot logits for a
    value ending at that token (read with the outputs of the next LOOKAHEAD tokens and the utterance's final state)
    and one logit that it enters the state. `updates` per utterance, from the states after and before it: K accept
    logits (the system's offer for the slot enters the state), K drop logits, R request logits."""

    def __init__(self, hidden, slots, requests, width, lookahead):
        super().__init__()
        self.hidden, self.slots, self.requests, self.lookahead = hidden, slots, requests, lookahead
        self.value_in = nn.Linear(hidden * (2 + lookahead), width)
        self.value_out = nn.Linear(width, slots + 1)
        self.update_in = nn.Linear(hidden * 2, width)
        self.update_out = nn.Linear(width, 2 * slots + requests)

    def value_logits(self, looked, after):
        """looked [N,(1+LOOKAHEAD)H] outputs at a value's last token and after; after [N,H] -> [N,K+1]."""
        return self.value_out(torch.relu(self.value_in(torch.cat([looked, after], dim=1))))

    def value_logits_seq(self, outputs, after):
        """Every position of one row: outputs [T,H] (zeros after the row's end), after [H] -> [T,K+1]."""
        return self.value_rows(outputs.unsqueeze(0), after.unsqueeze(0))[0]

    def value_rows(self, outputs, after):
        """outputs [B,T,H] (zeros after each row's length), after [B,H] -> [B,T,K+1]."""
        shifted = [outputs]
        for d in range(1, self.lookahead + 1):
            shifted.append(torch.cat([outputs, outputs.new_zeros(outputs.shape[0], d, outputs.shape[2])], dim=1)[:, d:])
        shifted.append(after.unsqueeze(1).expand(-1, outputs.shape[1], -1))
        return self.value_out(torch.relu(self.value_in(torch.cat(shifted, dim=2))))

    def update_logits(self, after, before):
        """after, before [N,H] -> [N, 2K+R]."""
        return self.update_out(torch.relu(self.update_in(torch.cat([after, before], dim=1))))


class StateStepGraph(nn.Module):
    """Model 3.0's exported step: StepGraph's outputs plus slots [B,T,K+1] and updates [B,2K+R]."""

    def __init__(self, model, heads):
        super().__init__()
        self.m = model
        self.s = heads

    def forward(self, tokens, lengths, state):
        e = self.m.emb(tokens)
        packed = pack_padded_sequence(e, lengths, batch_first=True, enforce_sorted=False)
        out, h = self.m.gru(packed, state)
        o, _ = pad_packed_sequence(out, batch_first=True, total_length=tokens.shape[1])
        after = h[-1]
        return (self.m.proj(after), h, self.m.tag_logits(o, None), self.s.value_rows(o, after),
                self.s.update_logits(after, state[-1]))


class RequestHead(nn.Module):
    """Model 3.1's request head (requests.py): the R request logits of `updates` from the states after and before
    an utterance, the input of StateHeads' update head, with a hidden layer of its own."""

    def __init__(self, hidden, width, requests):
        super().__init__()
        self.hidden_in = nn.Linear(hidden * 2, width)
        self.out = nn.Linear(width, requests)

    def forward(self, after, before):
        """after, before [N,H] -> [N,R]."""
        return self.out(torch.relu(self.hidden_in(torch.cat([after, before], dim=1))))
