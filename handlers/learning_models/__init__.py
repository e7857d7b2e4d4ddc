"""The five learning models (Gia đình, Dòng họ, Cộng đồng, Đơn vị, Công dân học tập): registration, invite
codes, self-assessment, the commune's decision and the roll-up. `chat.router` is composed in handlers/__init__.py."""
